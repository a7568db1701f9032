using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBrain.Leads.Import;

/// <summary>
/// The `--mapping map.json` file: which heading means which field, for exports whose headings
/// GrowthBrain does not recognise. Headings not listed are recognised as usual.
/// <code>
/// { "columns": { "E-Mail-Adresse": "email", "Firma": "company", "Internal score": "ignore" },
///   "dateFormat": "dd.MM.yyyy" }
/// </code>
/// </summary>
public sealed record ColumnMapping(IReadOnlyDictionary<string, LeadField> Columns, string? DateFormat)
{
    public static readonly ColumnMapping None = new(new Dictionary<string, LeadField>(), null);

    private sealed record MappingFile(
        [property: JsonPropertyName("columns")] Dictionary<string, string>? Columns,
        [property: JsonPropertyName("dateFormat")] string? DateFormat);

    public static ColumnMapping Parse(string json, string source = "the mapping")
    {
        MappingFile? file;
        try
        {
            file = JsonSerializer.Deserialize<MappingFile>(json, new JsonSerializerOptions
            {
                PropertyNameCaseInsensitive = true,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not valid JSON ({e.Message}); expected {{ \"columns\": {{ \"Heading\": \"field\" }} }}.");
        }
        if (file?.Columns is null || file.Columns.Count == 0)
        {
            throw new InvalidDataException($"{source} has no \"columns\" object; expected {{ \"columns\": {{ \"Heading\": \"field\" }} }}.");
        }

        var columns = new Dictionary<string, LeadField>(StringComparer.OrdinalIgnoreCase);
        foreach (var (heading, target) in file.Columns)
        {
            if (!Enum.TryParse<LeadField>(target, ignoreCase: true, out var field) || !Enum.IsDefined(field))
            {
                throw new InvalidDataException(
                    $"{source} maps '{heading}' to '{target}', which is not a field. Use one of: " +
                    string.Join(", ", Enum.GetNames<LeadField>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])) + ".");
            }
            columns[heading.Trim()] = field;
        }

        if (file.DateFormat is { } format)
        {
            try
            {
                _ = DateTime.UtcNow.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"{source} has dateFormat '{format}', which is not a .NET date format such as 'dd.MM.yyyy'.");
            }
        }
        return new ColumnMapping(columns, file.DateFormat);
    }

    public static async Task<ColumnMapping> LoadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The mapping file '{path}' does not exist.", path);
        }
        return Parse(await File.ReadAllTextAsync(path, ct), $"The mapping file '{path}'");
    }

    public LeadField FieldFor(string heading) =>
        Columns.TryGetValue(heading.Trim(), out var field) ? field : LeadHeaderRecognizer.Recognize(heading);
}
