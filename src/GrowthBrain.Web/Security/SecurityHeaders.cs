namespace GrowthBrain.Web.Security;

/// <summary>
/// Headers every response carries. The content security policy is limited to what cannot break
/// Blazor or MudBlazor (which inject styles and an import map inline): no framing, no plugins, no
/// foreign base URL, forms post only here.
/// </summary>
public static class SecurityHeaders
{
    public static void UseGrowthBrainSecurityHeaders(this WebApplication app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            h.ContentSecurityPolicy = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";
            return Task.CompletedTask;
        });
        await next();
    });
}
