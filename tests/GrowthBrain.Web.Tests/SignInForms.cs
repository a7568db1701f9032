using System.Net;
using System.Text.RegularExpressions;

namespace GrowthBrain.Web.Tests;

/// <summary>Posts the app's static sign-in and set-up forms the way a browser does: token from the page, cookies kept.</summary>
public static partial class SignInForms
{
    public static HttpClient CookieClient(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, IDictionary<string, string> fields, CancellationToken ct)
    {
        using var page = await client.GetAsync(path, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = TokenPattern().Match(html);
        if (!token.Success) throw new InvalidOperationException($"No anti-forgery token on {path} ({(int)page.StatusCode}): {html[..Math.Min(html.Length, 500)]}");
        var form = new Dictionary<string, string>(fields) { ["_handler"] = formName, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await client.PostAsync(path, new FormUrlEncodedContent(form), ct);
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, CancellationToken ct) =>
        PostFormAsync(client, "/account/login", "sign-in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password }, ct);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
