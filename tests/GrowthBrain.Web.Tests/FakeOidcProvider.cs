using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// A loopback OpenID Connect provider (Kestrel on 127.0.0.1) that speaks the authorization code flow as OpenID
/// Connect Core 1.0 and RFC 7636 describe: discovery, a JWKS with one RSA key, /authorize answering with
/// response_mode=form_post (an auto-submitting form, as Entra ID and Auth0 do), and /token checking the client,
/// the redirect URI, the PKCE verifier and one-time use of the code before it issues an RS256 id_token carrying the
/// nonce. Whoever "signs in" at the provider is <see cref="SignedInEmail"/>; errors use the spec's JSON shape.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "growthbrain-tests";
    public const string ClientSecret = "oidc-client-secret-3e9a";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private sealed record Grant(string RedirectUri, string? Nonce, string Challenge, string Email, bool? EmailVerified);

    private FakeOidcProvider(WebApplication app) => _app = app;

    public string Authority { get; private set; } = "";

    /// <summary>The person signed in at the provider; the next /authorize issues a code for them.</summary>
    public string SignedInEmail { get; set; } = "";

    /// <summary>What the id_token says of the address: true, false, or left out (as Entra ID does).</summary>
    public bool? EmailVerified { get; set; } = true;

    public int TokensIssued => _tokens;

    private int _tokens;

    public static async Task<FakeOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeOidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", provider.Discovery);
        app.MapGet("/jwks", provider.Jwks);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Authority,
        ["authorization_endpoint"] = $"{Authority}/authorize",
        ["token_endpoint"] = $"{Authority}/token",
        ["jwks_uri"] = $"{Authority}/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query", "form_post" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["scopes_supported"] = new[] { "openid", "profile", "email" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
    });

    private IResult Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        string? Get(string name) => q.TryGetValue(name, out var v) ? v.ToString() : null;
        if (Get("client_id") != ClientId) return Error("unauthorized_client", "Unknown client_id.");
        if (Get("response_type") != "code") return Error("unsupported_response_type", "Only the code flow is served.");
        if (!(Get("scope") ?? "").Split(' ').Contains("openid")) return Error("invalid_scope", "scope must include openid.");
        if (Get("code_challenge_method") != "S256" || string.IsNullOrEmpty(Get("code_challenge"))) return Error("invalid_request", "PKCE with S256 is required.");
        var redirect = Get("redirect_uri");
        if (redirect is null || !redirect.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) return Error("invalid_request", "redirect_uri is not registered.");

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(redirect, Get("nonce"), Get("code_challenge")!, SignedInEmail, EmailVerified);
        var fields = new Dictionary<string, string?> { ["code"] = code, ["state"] = Get("state") };
        var inputs = string.Concat(fields.Where(f => f.Value is not null)
            .Select(f => $"<input type=\"hidden\" name=\"{f.Key}\" value=\"{HtmlEncoder.Default.Encode(f.Value!)}\">"));
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><title>Signing in</title></head>
            <body onload="document.forms[0].submit()"><form method="post" action="{HtmlEncoder.Default.Encode(redirect)}">{inputs}<noscript><button>Continue</button></noscript></form></body></html>
            """;
        return Results.Content(html, "text/html", Encoding.UTF8);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, secret) = Client(request, form);
        if (clientId != ClientId || secret != ClientSecret) return TokenError("invalid_client", "Client authentication failed.", 401);
        if (form["grant_type"] != "authorization_code") return TokenError("unsupported_grant_type", "Only authorization_code.");
        // A code is good once: a replayed code is refused, as RFC 6749 4.1.2 requires.
        if (!_codes.TryRemove(form["code"].ToString(), out var grant)) return TokenError("invalid_grant", "The code is unknown or used.");
        if (form["redirect_uri"] != grant.RedirectUri) return TokenError("invalid_grant", "redirect_uri differs from the authorization request.");
        var verifier = form["code_verifier"].ToString();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (challenge != grant.Challenge) return TokenError("invalid_grant", "PKCE verification failed.");

        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(grant.Email)))[..16],
            ["email"] = grant.Email,
        };
        if (grant.EmailVerified is { } v) claims["email_verified"] = v;
        if (grant.Nonce is not null) claims["nonce"] = grant.Nonce;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        Interlocked.Increment(ref _tokens);
        return Results.Json(new { access_token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 300, id_token = idToken });
    }

    private static (string? Id, string? Secret) Client(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static IResult Error(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: 400);

    private static IResult TokenError(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }
}
