using GrowthBrain.Web.Export;
using MiniExcelLibs;

namespace GrowthBrain.Web.Tests;

/// <summary>The shared export helper every table uses, without HTTP.</summary>
public sealed class TableExportTests
{
    private sealed record Row(string Name, double? Amount, DateTime When, bool Flag);

    private static readonly IReadOnlyList<ExportColumn<Row>> Columns =
        [new("Name", r => r.Name), new("Amount", r => r.Amount), new("When", r => r.When), new("Flag", r => r.Flag)];

    private static async IAsyncEnumerable<Row> RowsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Row(i == 0 ? "=HYPERLINK(\"http://evil\")" : $"Row {i}", i == 1 ? null : -12.5 + i, new DateTime(2026, 1, 2, 3, 4, 5), i % 2 == 0);
        }
    }

    [Fact]
    public async Task Csv_keeps_numbers_and_dates_readable_and_neutralises_formulas()
    {
        using var stream = new MemoryStream();
        (await TableExport.WriteCsvAsync(stream, Columns, RowsAsync(3), TestContext.Current.CancellationToken)).ShouldBe(3);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldBe([
            "Name,Amount,When,Flag",
            "\"'=HYPERLINK(\"\"http://evil\"\")\",-12.5,2026-01-02 03:04:05,true",
            "Row 1,,2026-01-02 03:04:05,false",
            "Row 2,-10.5,2026-01-02 03:04:05,true",
        ]);
    }

    [Fact]
    public async Task Xlsx_stops_at_the_row_limit_with_a_note_that_points_to_csv()
    {
        using var stream = new MemoryStream();
        var (rows, truncated) = await TableExport.WriteXlsxAsync(stream, Columns, RowsAsync(10), TestContext.Current.CancellationToken, maxRows: 5);
        rows.ShouldBe(4);
        truncated.ShouldBeTrue();
        stream.Position = 0;
        var sheet = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        sheet.Count.ShouldBe(5);
        sheet[0]["Name"].ShouldBe("'=HYPERLINK(\"http://evil\")");
        sheet[0]["Amount"].ShouldBe(-12.5);
        sheet[0]["When"].ShouldBe(new DateTime(2026, 1, 2, 3, 4, 5));
        sheet[1]["Amount"].ShouldBeNull();
        sheet[4]["Name"].ShouldBe("Only the first 4 rows fit in this file; export as CSV for every row.");
    }

    [Fact]
    public async Task Xlsx_under_the_limit_has_every_row_and_no_note()
    {
        using var stream = new MemoryStream();
        (await TableExport.WriteXlsxAsync(stream, Columns, RowsAsync(4), TestContext.Current.CancellationToken, maxRows: 5)).ShouldBe((4, false));
        stream.Position = 0;
        stream.Query(useHeaderRow: true).Count().ShouldBe(4);
    }
}
