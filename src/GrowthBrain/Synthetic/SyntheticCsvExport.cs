using System.Buffers;
using System.Globalization;
using System.Text;
using GrowthBrain.Leads;

namespace GrowthBrain.Synthetic;

/// <summary>What was written: data rows (header excluded) and which of them were made dirty on purpose.</summary>
public sealed record SyntheticExportSummary(int Rows, int DirtyRows, IReadOnlyList<int> DirtyRowNumbers);

/// <summary>
/// Writes generated leads as the CSV export of a chosen CRM (RFC 4180, CRLF line ends, UTF-8),
/// optionally with a share of deliberately bad rows so importers can be tested against them.
/// </summary>
public static class SyntheticCsvExport
{
    private enum DirtyKind { UnparseableDate, InvalidEmail, NegativeCount, MissingFields, OverlongValue }

    // Dirty rows are placed per block of this many rows, so the count is exact for every full block
    // (round(share × rows)) while the positions inside a block stay random.
    private const int DirtyBlock = 100;
    private const int FlushAt = 1 << 16;

    public static async Task<SyntheticExportSummary> WriteAsync(
        IEnumerable<SyntheticLead> leads, string path, CrmExportStyle style, double dirtyRowShare, int seed,
        char separator = ',', CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (dirtyRowShare is < 0 or > 1 || double.IsNaN(dirtyRowShare))
            throw new ArgumentOutOfRangeException(nameof(dirtyRowShare), dirtyRowShare, "The dirty row share must be between 0 and 1.");
        if (separator is '"' or '\r' or '\n')
            throw new ArgumentException("The separator cannot be a quote or a line break.", nameof(separator));

        var layout = CrmExportLayout.For(style);
        var random = new Random(seed);
        var dirtyInBlock = new DirtyKind?[DirtyBlock];
        var offsets = new int[DirtyBlock];
        var dirtyRows = new List<int>();
        var row = new CsvRecordBuilder(separator);

        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);

        foreach (var column in layout.Columns) row.Field(column.Heading);
        row.EndRecord();

        var rowNumber = 0;
        foreach (var lead in leads)
        {
            rowNumber++;
            var slot = (rowNumber - 1) % DirtyBlock;
            if (slot == 0) PlanBlock(random, rowNumber, dirtyRowShare, dirtyInBlock, offsets);
            var dirty = dirtyInBlock[slot];
            if (dirty is not null) dirtyRows.Add(rowNumber);
            WriteLead(row, layout, lead, rowNumber, dirty);

            if (row.Length >= FlushAt)
            {
                ct.ThrowIfCancellationRequested();
                await writer.WriteAsync(row.Written, ct);
                row.Clear();
            }
        }

        await writer.WriteAsync(row.Written, ct);
        await writer.FlushAsync(ct);
        return new SyntheticExportSummary(rowNumber, dirtyRows.Count, dirtyRows);
    }

    private static void PlanBlock(Random random, int firstRow, double share, DirtyKind?[] dirtyInBlock, int[] offsets)
    {
        Array.Clear(dirtyInBlock);
        var before = (long)Math.Floor((firstRow - 1) * share + 0.5);
        var after = (long)Math.Floor((firstRow - 1 + DirtyBlock) * share + 0.5);
        var count = (int)(after - before);
        for (var i = 0; i < DirtyBlock; i++) offsets[i] = i;
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, DirtyBlock);
            (offsets[i], offsets[j]) = (offsets[j], offsets[i]);
            dirtyInBlock[offsets[i]] = (DirtyKind)random.Next(5);
        }
    }

    private static void WriteLead(CsvRecordBuilder row, CrmExportLayout layout, SyntheticLead lead, int rowNumber, DirtyKind? dirty)
    {
        var counts = ActivityCounts.Of(lead.Activities);
        var columns = layout.Columns;
        var written = dirty == DirtyKind.MissingFields ? columns.Length - 2 : columns.Length;
        for (var i = 0; i < written; i++)
        {
            var field = columns[i].Field;
            switch (dirty)
            {
                case DirtyKind.UnparseableDate when field == layout.DirtyDateField:
                    row.Field("31/31/2024");
                    continue;
                case DirtyKind.InvalidEmail when field == ExportField.Email:
                    row.Field(rowNumber % 2 == 0 ? "not-an-email" : LocalPart(lead) + "@");
                    continue;
                case DirtyKind.NegativeCount when field == layout.DirtyCountField:
                    row.Field("-3");
                    continue;
                case DirtyKind.OverlongValue when field == ExportField.Company:
                    row.Field(Overlong(lead.Company ?? "Company"));
                    continue;
            }
            WriteField(row, layout, lead, counts, rowNumber, field);
        }
        row.EndRecord();
    }

    private static void WriteField(CsvRecordBuilder row, CrmExportLayout layout, SyntheticLead lead, in ActivityCounts counts, int rowNumber, ExportField field)
    {
        switch (field)
        {
            case ExportField.Id: row.Field(lead.ExternalId); break;
            case ExportField.FirstName: row.Field(lead.FirstName); break;
            case ExportField.LastName: row.Field(lead.LastName); break;
            case ExportField.FullName: row.Field(lead.FirstName is null ? lead.LastName : lead.LastName is null ? lead.FirstName : lead.FirstName + " " + lead.LastName); break;
            case ExportField.Email: row.Field(lead.Email); break;
            case ExportField.Phone: row.Field(lead.Phone); break;
            case ExportField.Company: row.Field(lead.Company); break;
            case ExportField.JobTitle: row.Field(lead.JobTitle); break;
            case ExportField.Industry: row.Field(lead.Industry); break;
            case ExportField.Employees: row.Number(lead.CompanySize); break;
            case ExportField.Revenue: row.Money(lead.AnnualRevenue); break;
            case ExportField.Country: row.Field(lead.Country); break;
            case ExportField.Source: row.Field(lead.Source); break;
            case ExportField.Campaign: row.Field(lead.Campaign); break;
            case ExportField.Stage: row.Field(StageFor(layout.Style, lead)); break;
            case ExportField.Status: row.Field(StatusFor(layout.Style, lead, rowNumber)); break;
            case ExportField.Owner: row.Field(lead.Owner); break;
            case ExportField.Created: row.Date(lead.CreatedAt, layout.DateTimeFormat); break;
            case ExportField.LastActivity: row.Date(lead.LastActivityAt, layout.DateTimeFormat); break;
            case ExportField.LastActivityDate: row.Date(lead.LastActivityAt, layout.DateFormat); break;
            case ExportField.WonAt: row.Date(lead.Outcome == LeadOutcome.Won ? lead.ClosedAt : null, layout.DateTimeFormat); break;
            case ExportField.LostAt: row.Date(lead.Outcome == LeadOutcome.Lost ? lead.ClosedAt : null, layout.DateTimeFormat); break;
            case ExportField.DealValue: row.Money(lead.DealValue); break;
            case ExportField.DealStatus: row.Field(lead.Outcome switch { LeadOutcome.Won => "won", LeadOutcome.Lost => "lost", _ => "open" }); break;
            case ExportField.SalesActivities: row.Number(counts.Sent + counts.Calls + counts.Meetings + counts.Notes); break;
            case ExportField.TotalActivities: row.Number(counts.Calls + counts.Meetings + counts.Notes); break;
            case ExportField.EmailsSent: row.Number(counts.Sent); break;
            case ExportField.EmailsOpened: row.Number(counts.Opened); break;
            case ExportField.EmailsClicked: row.Number(counts.Clicked); break;
            case ExportField.EmailsReplied: row.Number(counts.Replied); break;
            case ExportField.Meetings: row.Number(counts.Meetings); break;
            case ExportField.PageViews: row.Number(counts.PageViews); break;
            case ExportField.FormSubmissions: row.Number(counts.Forms); break;
            case ExportField.Notes: row.Field(lead.Notes); break;
            case ExportField.Gender: row.Field(Custom(lead, "Gender")); break;
            case ExportField.Age: row.Field(Custom(lead, "Age")); break;
            case ExportField.PreferredContactMethod: row.Field(Custom(lead, "Preferred Contact Method")); break;
            case ExportField.EmployeesBand: row.Field(Custom(lead, "Number of Employees Band")); break;
            default: throw new InvalidOperationException($"No writer for {field}.");
        }
    }

    private static string? Custom(SyntheticLead lead, string key) => lead.CustomFields.TryGetValue(key, out var value) ? value : null;

    private static string StageFor(CrmExportStyle style, SyntheticLead lead) => style switch
    {
        CrmExportStyle.HubSpot => lead.Outcome switch
        {
            LeadOutcome.Won => "Customer",
            LeadOutcome.Lost => "Other",
            _ => lead.Stage switch { "Contacted" => "Marketing Qualified Lead", "Qualified" => "Sales Qualified Lead", "Proposal" => "Opportunity", _ => "Lead" },
        },
        CrmExportStyle.Pipedrive => lead.Stage switch
        {
            "Contacted" => "Contact Made",
            "Qualified" => "Demo Scheduled",
            "Proposal" => "Proposal Made",
            "Closed Won" or "Closed Lost" => "Negotiations Started",
            _ => "Lead In",
        },
        _ => lead.Stage ?? "",
    };

    private static string StatusFor(CrmExportStyle style, SyntheticLead lead, int rowNumber) => style switch
    {
        CrmExportStyle.HubSpot => lead.Status switch
        {
            "Converted" => "Connected",
            "Unqualified" => "Unqualified",
            "Not Contacted" => "New",
            "Attempting Contact" => "Attempted to Contact",
            "Nurturing" => "Bad Timing",
            _ => lead.Stage == "Proposal" ? "Open Deal" : "In Progress",
        },
        CrmExportStyle.Salesforce => lead.Outcome switch
        {
            LeadOutcome.Won => "Closed - Converted",
            LeadOutcome.Lost => "Closed - Not Converted",
            _ => lead.Status == "Not Contacted" ? "Open - Not Contacted" : "Working - Contacted",
        },
        CrmExportStyle.Zoho => lead.Outcome switch
        {
            LeadOutcome.Won => "Converted",
            // Zoho teams split lost leads between "Lost Lead" and "Junk Lead"; one in five here is junk.
            LeadOutcome.Lost => rowNumber % 5 == 0 ? "Junk Lead" : "Lost Lead",
            _ => lead.Status switch
            {
                "Not Contacted" => "Not Contacted",
                "Attempting Contact" => "Attempted to Contact",
                "Nurturing" => "Contact in Future",
                _ => lead.Stage is "Qualified" or "Proposal" ? "Pre-Qualified" : "Contacted",
            },
        },
        _ => lead.Status ?? "",
    };

    private static string LocalPart(SyntheticLead lead)
    {
        var at = lead.Email?.IndexOf('@') ?? -1;
        return at > 0 ? lead.Email![..at] : "jane.doe";
    }

    private static string Overlong(string company)
    {
        var builder = new StringBuilder(5000 + company.Length + 1);
        while (builder.Length < 5000) builder.Append(company).Append(' ');
        builder.Length = 5000;
        return builder.ToString();
    }

    private readonly record struct ActivityCounts(int Sent, int Opened, int Clicked, int Replied, int Calls, int Meetings, int PageViews, int Forms, int Notes)
    {
        public static ActivityCounts Of(IReadOnlyList<SyntheticActivity> activities)
        {
            int sent = 0, opened = 0, clicked = 0, replied = 0, calls = 0, meetings = 0, pages = 0, forms = 0, notes = 0;
            for (var i = 0; i < activities.Count; i++)
            {
                switch (activities[i].Type)
                {
                    case ActivityType.EmailSent: sent++; break;
                    case ActivityType.EmailOpened: opened++; break;
                    case ActivityType.EmailClicked: clicked++; break;
                    case ActivityType.EmailReplied: replied++; break;
                    case ActivityType.Call: calls++; break;
                    case ActivityType.Meeting: meetings++; break;
                    case ActivityType.PageView: pages++; break;
                    case ActivityType.FormSubmission: forms++; break;
                    case ActivityType.Note: notes++; break;
                }
            }
            return new ActivityCounts(sent, opened, clicked, replied, calls, meetings, pages, forms, notes);
        }
    }

    /// <summary>Builds CSV records into one growing char buffer, quoting only fields that need it.</summary>
    private sealed class CsvRecordBuilder(char separator)
    {
        private readonly SearchValues<char> _needsQuotes = SearchValues.Create([separator, '"', '\r', '\n']);
        private char[] _buffer = new char[FlushAt * 2];
        private bool _atRecordStart = true;

        public int Length { get; private set; }

        public ReadOnlyMemory<char> Written => _buffer.AsMemory(0, Length);

        public void Clear() => Length = 0;

        public void Field(string? value) => Field(value.AsSpan());

        public void Field(ReadOnlySpan<char> value)
        {
            if (!_atRecordStart) Append(separator);
            _atRecordStart = false;
            if (value.IndexOfAny(_needsQuotes) < 0)
            {
                Append(value);
                return;
            }
            Append('"');
            foreach (var c in value)
            {
                if (c == '"') Append('"');
                Append(c);
            }
            Append('"');
        }

        public void Number(int? value)
        {
            Span<char> text = stackalloc char[16];
            if (value is { } v && v.TryFormat(text, out var n, default, CultureInfo.InvariantCulture)) Field(text[..n]);
            else Field(ReadOnlySpan<char>.Empty);
        }

        public void Money(decimal? value)
        {
            Span<char> text = stackalloc char[40];
            if (value is { } v && v.TryFormat(text, out var n, "0.##", CultureInfo.InvariantCulture)) Field(text[..n]);
            else Field(ReadOnlySpan<char>.Empty);
        }

        public void Date(DateTime? value, string format)
        {
            Span<char> text = stackalloc char[32];
            if (value is { } v && v.TryFormat(text, out var n, format, CultureInfo.InvariantCulture)) Field(text[..n]);
            else Field(ReadOnlySpan<char>.Empty);
        }

        public void EndRecord()
        {
            Append('\r');
            Append('\n');
            _atRecordStart = true;
        }

        private void Append(char c)
        {
            if (Length == _buffer.Length) Grow(1);
            _buffer[Length++] = c;
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (Length + text.Length > _buffer.Length) Grow(text.Length);
            text.CopyTo(_buffer.AsSpan(Length));
            Length += text.Length;
        }

        private void Grow(int extra) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
    }
}
