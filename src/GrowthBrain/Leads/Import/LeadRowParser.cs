using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GrowthBrain.Leads.Import;

/// <summary>The result of parsing one row: a lead, or the reason the row was rejected.</summary>
public readonly record struct ParsedRow(ImportedLead? Lead, string? Error);

/// <summary>
/// Turns one CSV record into an <see cref="ImportedLead"/>, or says exactly what is wrong with it.
/// Built once per file from the header, so per-row work is only the cells.
/// </summary>
public sealed class LeadRowParser
{
    public const int MaxCustomValue = 4_000;

    private readonly Column[] _columns;
    // Reused for every row: the parser runs on one thread, and per-row buffers were a large share of import time.
    private readonly ArrayBufferWriter<byte> _customBuffer = new(1024);
    private readonly Utf8JsonWriter _customJson;
    private char[] _hashBuffer = new char[4096];
    private readonly char _separator;
    private readonly string? _dateFormat;

    private sealed record Column(int Index, string Heading, LeadField Field, bool IsCount)
    {
        public int DateHint = -1;
    }

    public LeadRowParser(IReadOnlyList<string> header, ColumnMapping mapping, char separator)
    {
        _separator = separator;
        _dateFormat = mapping.DateFormat;
        var seen = new HashSet<LeadField>();
        var columns = new List<Column>();
        for (var i = 0; i < header.Count; i++)
        {
            var heading = header[i].Trim();
            if (heading.Length == 0) heading = $"Column {i + 1}";
            var field = mapping.FieldFor(heading);
            // The first column for a field wins; a second "Email" (say, a secondary address) stays as a custom field.
            if (field is not (LeadField.Custom or LeadField.Ignore) && !seen.Add(field)) field = LeadField.Custom;
            columns.Add(new Column(i, heading, field, field == LeadField.Custom && LeadHeaderRecognizer.IsCountHeading(heading)));
        }
        _columns = columns.ToArray();
        HeaderCount = header.Count;
        _customJson = new Utf8JsonWriter(_customBuffer);

        if (!seen.Overlaps([LeadField.Email, LeadField.ExternalId, LeadField.FirstName, LeadField.LastName, LeadField.FullName]))
        {
            throw new InvalidDataException(
                "None of the headings is an e-mail, a record id or a name, so no row could be matched with a lead. " +
                $"Headings found: {string.Join(", ", header.Take(12))}. Pass --mapping map.json to say which column is which.");
        }
    }

    public int HeaderCount { get; }

    /// <summary>How each heading was understood, for the import report.</summary>
    public IReadOnlyList<(string Heading, LeadField Field)> Plan => _columns.Select(c => (c.Heading, c.Field)).ToArray();

    public ParsedRow Parse(CsvRecord record)
    {
        if (record.Error is not null) return Reject(record, record.Error);
        var cells = record.Fields;
        if (cells.Count != HeaderCount)
        {
            // Trailing empty cells (a separator at the end of the line) are harmless.
            var extraAllEmpty = cells.Count > HeaderCount && cells.Skip(HeaderCount).All(string.IsNullOrWhiteSpace);
            if (!extraAllEmpty)
            {
                return Reject(record, $"has {cells.Count} fields but the header has {HeaderCount}; check for an unquoted '{_separator}' or a missing quote");
            }
        }

        var lead = new ImportedLead { RowNumber = record.RowNumber };
        LeadOutcome? explicitOutcome = null;
        LeadOutcome? outcomeFromDates = null;
        string? fullName = null;
        _customBuffer.ResetWrittenCount();
        _customJson.Reset();
        var json = _customJson;
        json.WriteStartObject();
        var hashLength = 0;

        foreach (var col in _columns)
        {
            var raw = col.Index < cells.Count ? cells[col.Index].Trim() : "";
            if (raw.Length == 0 || col.Field == LeadField.Ignore) continue;
            // The content hash is over the cells as imported: any change to a used cell changes it.
            if (hashLength + raw.Length + 8 > _hashBuffer.Length) Array.Resize(ref _hashBuffer, Math.Max(_hashBuffer.Length * 2, hashLength + raw.Length + 8));
            hashLength += col.Index.TryFormat(_hashBuffer.AsSpan(hashLength), out var written) ? written : 0;
            _hashBuffer[hashLength++] = '\u001e';
            raw.CopyTo(_hashBuffer.AsSpan(hashLength));
            hashLength += raw.Length;
            _hashBuffer[hashLength++] = '\u001f';

            var limit = col.Field switch
            {
                LeadField.Notes => Lead.NotesText,
                LeadField.Custom => MaxCustomValue,
                _ => Lead.ShortText,
            };
            if (raw.Length > limit)
            {
                return Reject(record, $"'{col.Heading}' is {raw.Length:N0} characters long; the limit is {limit:N0}");
            }

            switch (col.Field)
            {
                case LeadField.ExternalId: lead.ExternalId = raw; break;
                case LeadField.FirstName: lead.FirstName = raw; break;
                case LeadField.LastName: lead.LastName = raw; break;
                case LeadField.FullName: fullName = raw; break;
                case LeadField.Email:
                    if (!CellParsers.IsEmail(raw)) return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}', not an e-mail address");
                    lead.Email = raw;
                    lead.EmailNormalized = raw.ToLowerInvariant();
                    break;
                case LeadField.Phone: lead.Phone = raw; break;
                case LeadField.Company: lead.Company = raw; break;
                case LeadField.JobTitle: lead.JobTitle = raw; break;
                case LeadField.Industry: lead.Industry = raw; break;
                case LeadField.Country: lead.Country = raw; break;
                case LeadField.City: lead.City = raw; break;
                case LeadField.Source: lead.Source = raw; break;
                case LeadField.Campaign: lead.Campaign = raw; break;
                case LeadField.Owner: lead.Owner = raw; break;
                case LeadField.Stage: lead.Stage = raw; break;
                case LeadField.Status: lead.Status = raw; break;
                case LeadField.Notes: lead.Notes = raw; break;
                case LeadField.CompanySize:
                    if (!CellParsers.TryParseCompanySize(raw, _separator, out var size, out var negative))
                    {
                        return Reject(record, negative
                            ? $"'{col.Heading}' is {raw}; a number of employees can't be negative"
                            : $"'{col.Heading}' is '{Shorten(raw)}', not a number of employees");
                    }
                    lead.CompanySize = size;
                    break;
                case LeadField.AnnualRevenue:
                case LeadField.DealValue:
                    if (!CellParsers.TryParseNumber(raw, _separator, out var money))
                        return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}', not an amount");
                    if (money < 0) return Reject(record, $"'{col.Heading}' is {raw}; an amount can't be negative");
                    if (col.Field == LeadField.AnnualRevenue) lead.AnnualRevenue = money; else lead.DealValue = money;
                    break;
                case LeadField.Outcome:
                    if (!CellParsers.TryParseOutcome(raw, out var outcome))
                        return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}'; use won, lost or open (or yes/no, true/false)");
                    explicitOutcome = outcome ?? explicitOutcome;
                    break;
                case LeadField.Consent:
                    if (!GrowthBrain.Privacy.ConsentText.TryParseStatus(raw, out var consent))
                        return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}'; use yes or no (or granted/withdrawn, opted in/opted out)");
                    lead.ConsentStatus = consent;
                    lead.ConsentSource = "import";
                    break;
                case LeadField.LawfulBasis:
                    if (!GrowthBrain.Privacy.ConsentText.TryParseBasis(raw, out var basis))
                        return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}'; use consent, legitimate interest or contract");
                    lead.LawfulBasis = basis;
                    lead.ConsentSource = "import";
                    break;
                case LeadField.CreatedAt:
                case LeadField.LastActivityAt:
                case LeadField.ClosedAt:
                case LeadField.WonAt:
                case LeadField.LostAt:
                case LeadField.ConsentAt:
                    if (!CellParsers.TryParseDate(raw, _dateFormat, ref col.DateHint, out var date))
                    {
                        return Reject(record, _dateFormat is null
                            ? $"'{col.Heading}' is '{Shorten(raw)}', not a date (use e.g. 2024-03-31, 03/31/2024 or 31.03.2024)"
                            : $"'{col.Heading}' is '{Shorten(raw)}', not a date in the format {_dateFormat}");
                    }
                    if (col.Field == LeadField.CreatedAt) lead.CreatedAt = date;
                    else if (col.Field == LeadField.ConsentAt) lead.ConsentAt = date;
                    else if (col.Field == LeadField.LastActivityAt) lead.LastActivityAt = date;
                    else
                    {
                        lead.ClosedAt ??= date;
                        if (col.Field == LeadField.WonAt) outcomeFromDates = LeadOutcome.Won;
                        if (col.Field == LeadField.LostAt) outcomeFromDates ??= LeadOutcome.Lost;
                    }
                    break;
                case LeadField.Custom:
                    if (col.IsCount)
                    {
                        if (!CellParsers.TryParseNumber(raw, _separator, out var count) || count != decimal.Truncate(count))
                            return Reject(record, $"'{col.Heading}' is '{Shorten(raw)}', not a whole number");
                        if (count < 0) return Reject(record, $"'{col.Heading}' is {raw}; a count can't be negative");
                    }
                    json.WriteString(col.Heading, raw);
                    break;
            }
        }
        json.WriteEndObject();
        json.Flush();
        lead.CustomFields = Encoding.UTF8.GetString(_customBuffer.WrittenSpan);

        if (fullName is not null && lead.FirstName is null && lead.LastName is null)
        {
            var space = fullName.LastIndexOf(' ');
            (lead.FirstName, lead.LastName) = space > 0 ? (fullName[..space], fullName[(space + 1)..]) : (fullName, null);
        }

        lead.Outcome = explicitOutcome ?? outcomeFromDates
            ?? CellParsers.OutcomeFromStage(lead.Status) ?? CellParsers.OutcomeFromStage(lead.Stage) ?? LeadOutcome.Open;

        if (lead.ExternalId is null && lead.EmailNormalized is null)
        {
            var key = LeadHeaderRecognizer.Fold($"{lead.FirstName}|{lead.LastName}|{lead.Company}|{lead.Phone}");
            if (LeadHeaderRecognizer.Fold($"{lead.FirstName}{lead.LastName}").Length == 0)
            {
                return Reject(record, "has no record id, no e-mail and no name, so it can't be matched with a lead");
            }
            lead.NameKey = key.Length > Lead.ShortText ? key[..Lead.ShortText] : key;
        }

        lead.ContentHash = (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_hashBuffer.AsSpan(0, hashLength)));
        return new ParsedRow(lead, null);
    }

    private static ParsedRow Reject(CsvRecord record, string reason) => new(null, reason);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";

    /// <summary>A stable 64-bit fingerprint of a lead built in code (the synthetic CRM): equal hashes mean nothing changed.</summary>
    internal static long Hash(ImportedLead l)
    {
        var hash = new XxHash3();
        Text(hash, l.ExternalId); Text(hash, l.FirstName); Text(hash, l.LastName); Text(hash, l.Email); Text(hash, l.Phone);
        Text(hash, l.Company); Text(hash, l.JobTitle); Text(hash, l.Industry); Number(hash, l.CompanySize); Number(hash, l.AnnualRevenue);
        Text(hash, l.Country); Text(hash, l.City); Text(hash, l.Source); Text(hash, l.Campaign); Text(hash, l.Owner); Text(hash, l.Stage);
        Text(hash, l.Status); Number<int>(hash, (int)l.Outcome); Number(hash, l.DealValue); Number(hash, l.CreatedAt?.Ticks);
        Number(hash, l.LastActivityAt?.Ticks); Number(hash, l.ClosedAt?.Ticks); Text(hash, l.Notes); Text(hash, l.CustomFields);
        return (long)hash.GetCurrentHashAsUInt64();

        static void Text(XxHash3 hash, string? v)
        {
            if (v is not null) hash.Append(MemoryMarshal.AsBytes(v.AsSpan()));
            hash.Append("\u001f"u8);
        }

        static void Number<T>(XxHash3 hash, T? v) where T : struct, ISpanFormattable
        {
            Span<char> buffer = stackalloc char[32];
            if (v is { } x && x.TryFormat(buffer, out var n, default, System.Globalization.CultureInfo.InvariantCulture))
                hash.Append(MemoryMarshal.AsBytes(buffer[..n]));
            hash.Append("\u001f"u8);
        }
    }
}
