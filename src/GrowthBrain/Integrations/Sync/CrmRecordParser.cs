using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Integrations.Sync;

/// <summary>
/// Turns CRM records into the rows the import already knows how to validate: one heading per mapped property, so
/// dates, numbers, e-mail checks, custom fields and content hashes work the same for a CRM as for a CSV export.
/// Then the mapping's won and lost values decide the outcome, because a CRM's stage names are the team's own.
/// </summary>
public sealed class CrmRecordParser
{
    /// <summary>The heading the CRM's record id goes under; no CRM property is called this.</summary>
    private const string IdHeading = "growthbrain crm record id";

    private readonly string[] _properties;
    private readonly LeadRowParser _parser;
    private readonly string? _outcomeProperty;
    private readonly string[] _outcomeProperties;
    private readonly HashSet<string> _won, _lost;

    public CrmRecordParser(CrmMapping mapping, string crmObject)
    {
        var used = mapping.Used(crmObject).ToList();
        _properties = used.Select(f => f.Property).ToArray();
        var columns = new Dictionary<string, LeadField>(StringComparer.OrdinalIgnoreCase) { [IdHeading] = LeadField.ExternalId };
        foreach (var f in used) columns[f.Property] = f.Field;
        _parser = new LeadRowParser([IdHeading, .. _properties], new ColumnMapping(columns, null), ',');
        Fields = used.Select(f => f.Field).ToHashSet();
        _outcomeProperty = mapping.OutcomeProperty;
        _outcomeProperties = used.Where(f => f.Field is LeadField.Stage or LeadField.Status).Select(f => f.Property)
            .Concat(mapping.OutcomeProperty is { } o ? [o] : []).Distinct().ToArray();
        _won = new HashSet<string>(mapping.Won, StringComparer.OrdinalIgnoreCase);
        _lost = new HashSet<string>(mapping.Lost, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The properties to ask the CRM for.</summary>
    public IReadOnlyList<string> Properties => _outcomeProperty is null || _properties.Contains(_outcomeProperty)
        ? _properties : [.. _properties, _outcomeProperty];

    /// <summary>The lead fields the mapping fills: only these are overwritten (the CRM wins for its own fields, and only those).</summary>
    public IReadOnlySet<LeadField> Fields { get; }

    public ParsedRow Parse(CrmRecord record, int rowNumber)
    {
        var cells = new string[_properties.Length + 1];
        cells[0] = record.Id;
        for (var i = 0; i < _properties.Length; i++)
            cells[i + 1] = record.Properties.TryGetValue(_properties[i], out var v) && v is not null ? v : "";
        var parsed = _parser.Parse(new CsvRecord(cells, rowNumber, rowNumber, null));
        if (parsed.Lead is not { } lead) return parsed;
        if (_won.Count > 0 || _lost.Count > 0)
        {
            var values = _outcomeProperties.Select(p => record.Properties.TryGetValue(p, out var v) ? v?.Trim() : null).OfType<string>().ToList();
            lead.Outcome = values.Any(_won.Contains) ? LeadOutcome.Won : values.Any(_lost.Contains) ? LeadOutcome.Lost : LeadOutcome.Open;
            // A CRM says when the stage changed only in its history; the record's last change is the closest honest date.
            if (lead.Outcome != LeadOutcome.Open) lead.ClosedAt ??= record.ModifiedAt;
            else lead.ClosedAt = null;
            // Stable across processes (the hash is stored), and the outcome property may not be among the hashed cells.
            lead.ContentHash = unchecked(lead.ContentHash ^ ((long)lead.Outcome + 1) * -7046029254386353131L);
        }
        return parsed;
    }
}
