using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBrain.Settings;

namespace GrowthBrain.Integrations;

/// <summary>What every CRM's options class says about itself.</summary>
public interface ICrmOptions
{
    /// <summary>Whether the credentials are set (not whether they work).</summary>
    bool Configured { get; }
}

/// <summary>
/// Where a connector's credentials come from: configuration (`Crm:&lt;Name&gt;:*`) when it sets them, else what an
/// admin entered on the Integrations page, kept in the secret store as the options' JSON (encrypted like every
/// secret). Configuration wins so that an operator's deployment cannot be changed from the browser.
/// </summary>
public sealed class CrmCredentials(SecretStore secrets)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The options in force: configuration's when it sets the credentials, else configuration with the stored fields laid over it.</summary>
    public async Task<T> ResolveAsync<T>(SecretKind kind, T configured, CancellationToken ct) where T : class, ICrmOptions
    {
        if (configured.Configured) return configured;
        var stored = await secrets.GetAsync(kind, ct);
        if (stored is null) return configured;
        return Overlay(configured, JsonSerializer.Deserialize<Dictionary<string, string?>>(stored, Json) ?? []);
    }

    /// <summary>Whether the credentials in configuration or the store are set.</summary>
    public async Task<bool> IsConfiguredAsync<T>(SecretKind kind, T configured, CancellationToken ct) where T : class, ICrmOptions =>
        configured.Configured || await secrets.HasAsync(kind, ct);

    /// <summary>
    /// Validates and stores what an admin entered (option name → value; only those fields are stored, so limits and
    /// timeouts keep following configuration). An empty set removes the stored connection.
    /// </summary>
    public async Task SaveAsync<T>(SecretKind kind, T configured, IReadOnlyDictionary<string, string?> entered, string actor, CancellationToken ct)
        where T : class, ICrmOptions
    {
        var values = entered.Where(e => !string.IsNullOrWhiteSpace(e.Value)).ToDictionary(e => e.Key, e => e.Value!.Trim());
        if (values.Count == 0)
        {
            await secrets.SetAsync(kind, null, actor, ct);
            return;
        }
        var options = Overlay(configured, values!);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
            throw new ArgumentException(string.Join(" ", problems.Select(p => p.ErrorMessage)));
        if (!options.Configured) throw new ArgumentException("Some credentials are missing; enter them all, or remove the connection.");
        await secrets.SetAsync(kind, JsonSerializer.Serialize(values, Json), actor, ct);
    }

    private static T Overlay<T>(T configured, IReadOnlyDictionary<string, string?> values) where T : class
    {
        var node = JsonSerializer.SerializeToNode(configured, Json)!.AsObject();
        foreach (var (key, value) in values)
        {
            var name = node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"'{key}' is not a setting of this CRM.");
            node[name] = value;
        }
        return node.Deserialize<T>(Json) ?? configured;
    }
}
