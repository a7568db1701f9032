using System.ComponentModel.DataAnnotations;
using System.Text.Json;
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

    public async Task<T> ResolveAsync<T>(SecretKind kind, T configured, CancellationToken ct) where T : class, ICrmOptions
    {
        if (configured.Configured) return configured;
        var stored = await secrets.GetAsync(kind, ct);
        if (stored is null) return configured;
        var options = JsonSerializer.Deserialize<T>(stored, Json) ?? configured;
        return options;
    }

    /// <summary>Whether the credentials in configuration or the store are set.</summary>
    public async Task<bool> IsConfiguredAsync<T>(SecretKind kind, T configured, CancellationToken ct) where T : class, ICrmOptions =>
        configured.Configured || await secrets.HasAsync(kind, ct);

    /// <summary>Validates and stores credentials entered on the page; an empty <paramref name="options"/> removes them.</summary>
    public async Task SaveAsync<T>(SecretKind kind, T? options, string actor, CancellationToken ct) where T : class, ICrmOptions
    {
        if (options is null)
        {
            await secrets.SetAsync(kind, null, actor, ct);
            return;
        }
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
            throw new ArgumentException(string.Join(" ", problems.Select(p => p.ErrorMessage)));
        if (!options.Configured) throw new ArgumentException("The credentials are empty; enter them all, or remove the connection.");
        await secrets.SetAsync(kind, JsonSerializer.Serialize(options, Json), actor, ct);
    }
}
