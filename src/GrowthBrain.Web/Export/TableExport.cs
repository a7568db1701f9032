using System.Globalization;
using System.Text;
using GrowthBrain.Data;
using MiniExcelLibs;

namespace GrowthBrain.Web.Export;

public enum ExportFormat { Csv, Xlsx }

/// <summary>One exported column: its heading and how to read it from a row (a string, number, date, bool or null).</summary>
public sealed record ExportColumn<T>(string Heading, Func<T, object?> Value);

/// <summary>
/// Every table's CSV and XLSX download, built the same way: rows are streamed from their source (never
/// collected in memory), text cells are neutralised against formula injection in both formats, and the
/// file name says what and when. Usage in an endpoint:
/// <code>
/// if (!TableExport.TryParseFormat(format, out var f, out var problem)) return problem;
/// return TableExport.File("leads", f, columns, handler.StreamAsync(query, ct));
/// </code>
/// See docs/adr/0007-xlsx-with-miniexcel.md for the XLSX library.
/// </summary>
public static class TableExport
{
    /// <summary>Excel's 1,048,576 rows, less the heading row.</summary>
    public const int XlsxMaxRows = 1_048_575;

    public static bool TryParseFormat(string? format, out ExportFormat parsed, out Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
    {
        problem = null!;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                parsed = ExportFormat.Csv;
                return true;
            case "xlsx":
                parsed = ExportFormat.Xlsx;
                return true;
            default:
                parsed = default;
                problem = TypedResults.Problem($"format is '{format}'; use csv or xlsx.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid export format");
                return false;
        }
    }

    /// <summary>The download as an endpoint result: streamed CSV, or XLSX built in a temporary file and then sent.</summary>
    public static IResult File<T>(string name, ExportFormat format, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows, int xlsxMaxRows = XlsxMaxRows) =>
        new ExportResult<T>(name, format, columns, rows, xlsxMaxRows);

    /// <summary>CSV (UTF-8 with BOM so Excel reads accents) written as rows arrive.</summary>
    public static async Task<int> WriteCsvAsync<T>(Stream output, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(CsvText.Line(columns.Select(c => c.Heading)).AsMemory(), ct);
        var count = 0;
        var cells = new string?[columns.Count];
        await foreach (var row in rows.WithCancellation(ct))
        {
            for (var i = 0; i < columns.Count; i++) cells[i] = Text(columns[i].Value(row));
            await writer.WriteLineAsync(CsvText.Line(cells).AsMemory(), ct);
            count++;
        }
        await writer.FlushAsync(ct);
        return count;
    }

    /// <summary>
    /// XLSX with typed cells (numbers stay numbers, dates dates). At most <paramref name="maxRows"/> rows: when there
    /// are more, the last row says so and points to the CSV, which has no limit.
    /// </summary>
    /// <returns>The data rows written and whether rows were left out.</returns>
    public static async Task<(int Rows, bool Truncated)> WriteXlsxAsync<T>(Stream output, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows,
        CancellationToken ct, int maxRows = XlsxMaxRows)
    {
        var count = 0;
        var truncated = false;
        IEnumerable<IDictionary<string, object?>> Sheet()
        {
            // MiniExcel pulls rows synchronously; this runs on a pool thread (below), so blocking on the async source is fine.
            foreach (var row in rows.ToBlockingEnumerable(ct))
            {
                if (count == maxRows - 1)
                {
                    truncated = true;
                    var note = new Dictionary<string, object?>(columns.Count);
                    foreach (var c in columns) note[c.Heading] = null;
                    note[columns[0].Heading] = $"Only the first {count:N0} rows fit in this file; export as CSV for every row.";
                    yield return note;
                    yield break;
                }
                var cells = new Dictionary<string, object?>(columns.Count);
                foreach (var c in columns) cells[c.Heading] = Cell(c.Value(row));
                count++;
                yield return cells;
            }
        }
        await Task.Run(() => MiniExcel.SaveAs(output, Sheet().Select(r => (IDictionary<string, object>)r!), sheetName: "Export", excelType: ExcelType.XLSX), ct);
        return (count, truncated);
    }

    public static string FileName(string name, ExportFormat format, DateTime now) =>
        $"{name}-{now.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture)}.{(format == ExportFormat.Csv ? "csv" : "xlsx")}";

    private static object? Cell(object? value) => value switch
    {
        string s => CsvText.Neutralise(s),
        Enum e => e.ToString(),
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Unspecified),
        _ => value,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed class ExportResult<T>(string name, ExportFormat format, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows, int xlsxMaxRows)
        : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            var file = FileName(name, format, clock.GetUtcNow().UtcDateTime);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
            if (format == ExportFormat.Csv)
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
                await WriteCsvAsync(http.Response.Body, columns, rows, ct);
                return;
            }
            // The zip is built in a temporary file: memory stays flat, and the response gets a length.
            var temp = Path.Combine(Path.GetTempPath(), "growthbrain-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
            await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            var (_, truncated) = await WriteXlsxAsync(stream, columns, rows, ct, xlsxMaxRows);
            if (truncated) http.Response.Headers["X-Export-Truncated"] = $"Only the first {xlsxMaxRows - 1} rows fit; export as CSV for every row.";
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.ContentLength = stream.Length;
            stream.Position = 0;
            await stream.CopyToAsync(http.Response.Body, ct);
        }
    }
}
