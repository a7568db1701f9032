using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.FollowUps;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.Features;

namespace GrowthBrain.Web.Integrations;

/// <summary>
/// `/hooks/{crm}`: CRMs call these when records change. Anonymous (a CRM has no account here): the connector checks
/// the call's signature or channel token, and a forged or stale call is refused before anything is queued.
/// </summary>
public static class CrmWebhookEndpoints
{
    /// <summary>HubSpot sends up to 100 events per call; Zoho a list of ids. Far less than this.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public static void MapCrmWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{crm}", async Task<IResult> (string crm, HttpRequest request, ReceiveCrmWebhookHandler handler, IOptions<AppOptions> app, CancellationToken ct) =>
        {
            if (request.ContentLength > MaxBodyBytes) return TooLarge();
            // Anyone may call this address, and a chunked body announces no length: the server stops reading at the limit.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
            string body;
            try
            {
                using var reader = new StreamReader(request.Body);
                body = await reader.ReadToEndAsync(ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge();
            }
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var queued = await handler.HandleAsync(new ReceiveCrmWebhook(crm, new CrmWebhook(request.Method, SignedUrl(request, app.Value), body, headers)), ct);
            // Salesforce's Outbound Messages are SOAP and are sent again until acknowledged in SOAP.
            if (crm.Equals("salesforce", StringComparison.OrdinalIgnoreCase)) return TypedResults.Text(SalesforceAck, "text/xml; charset=utf-8");
            return TypedResults.Ok(new { queued });
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>
    /// The address the CRM called, as it signed it. Behind a reverse proxy the request arrives on another address, so
    /// App:PublicUrl (the address the CRM was given) is used when set; otherwise the request's own.
    /// </summary>
    private static string SignedUrl(HttpRequest request, AppOptions app) =>
        app.PublicUrl is { Length: > 0 } publicUrl
            ? publicUrl.TrimEnd('/') + request.PathBase + request.Path + request.QueryString
            : request.GetEncodedUrl();

    private const string SalesforceAck =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">" +
        "<soapenv:Body><notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";

    private static IResult TooLarge() => TypedResults.Problem($"The body is over {MaxBodyBytes:N0} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
