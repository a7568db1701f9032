using System.Net;
using GrowthBrain.FollowUps;

namespace GrowthBrain.Web.FollowUps;

/// <summary>
/// The unsubscribe link from every follow-up: GET shows a plain confirmation page, POST unsubscribes. POST is also
/// what mail providers send for RFC 8058 one-click ("List-Unsubscribe=One-Click"), without cookies or an antiforgery
/// token, so these routes are anonymous and skip antiforgery: the unguessable token is the authorisation.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static void MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/unsubscribe").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        // An unreadable link gets a page for the person who clicked it, not a problem: so the handler answers null, not throws.
        group.MapGet("/{token}", (string token, UnsubscribeHandler handler) =>
            handler.Peek(token) is { } target
                ? Page(StatusCodes.Status200OK, "Unsubscribe",
                    $"""
                     <p>Stop follow-up e-mails to <strong>{Enc(UnsubscribeHandler.Mask(target.Email))}</strong>?</p>
                     <form method="post">
                       <input type="hidden" name="List-Unsubscribe" value="One-Click">
                       <button type="submit" id="unsubscribe">Unsubscribe</button>
                     </form>
                     """)
                : NotValid());

        group.MapPost("/{token}", async (string token, UnsubscribeHandler handler, CancellationToken ct) =>
            await handler.HandleAsync(new Unsubscribe(token), ct) is { } result
                ? Page(StatusCodes.Status200OK, "Unsubscribed",
                    $"<p id=\"done\">{Enc(result.MaskedEmail)} will get no more follow-up e-mails from us.</p>")
                : NotValid());
    }

    private static IResult NotValid() => Page(StatusCodes.Status400BadRequest, "Link not valid",
        "<p>This unsubscribe link is not valid. It may have been cut off; open it again from the e-mail.</p>");

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static IResult Page(int status, string title, string content) => Results.Content(
        $"""
         <!DOCTYPE html>
         <html lang="en">
         <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{Enc(title)}</title>
         <style>body{"{"}font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5{"}"}
         button{"{"}font-size:1rem;padding:.6rem 1.2rem{"}"}</style></head>
         <body><main><h1>{Enc(title)}</h1>
         {content}
         </main></body>
         </html>
         """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
