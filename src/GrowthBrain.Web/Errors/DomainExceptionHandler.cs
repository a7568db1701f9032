using GrowthBrain.Errors;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Diagnostics;

namespace GrowthBrain.Web.Errors;

/// <summary>
/// The one place an endpoint's refused request becomes an RFC 9457 problem: endpoints call their handler and
/// let a <see cref="DomainException"/> (or a handler's ArgumentException) fly; this answers with its status,
/// title and message. Anything else is a fault and goes on to the ordinary error handling.
/// </summary>
public sealed class DomainExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (DomainErrors.Describe(exception) is not { } error || http.Response.HasStarted) return false;
        // TypedResults.Problem, as the endpoints wrote it before: it is always sent as application/problem+json,
        // whatever the caller's Accept header says.
        await TypedResults.Problem(error.Message, statusCode: error.HttpStatus, title: error.Title).ExecuteAsync(http);
        return true;
    }

    /// <summary>
    /// Requests whose errors are answered as problems: the API, webhooks and the form posts mapped as endpoints.
    /// Pages show errors in place through <see cref="Components.Handlers"/> and fall back to the error page.
    /// </summary>
    public static bool AnswersWithProblems(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api")
        || http.GetEndpoint() is RouteEndpoint endpoint && endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null;
}
