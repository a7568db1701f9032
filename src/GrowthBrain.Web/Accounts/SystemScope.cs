using GrowthBrain.Accounts;

namespace GrowthBrain.Web.Accounts;

public static class SystemScope
{
    /// <summary>
    /// A service scope that sees every team, for start-up work, background jobs and the test set-up.
    /// Request and circuit scopes get the signed-in user's teams instead; a plain scope sees nothing.
    /// </summary>
    public static AsyncServiceScope CreateSystemScope(this IServiceProvider services, string actor = "system")
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetService<TeamScope>()?.SetSystem(actor);
        return scope;
    }

    /// <summary>Who acts in this request, as the audit log names them (set from the user's claims by the sign-in middleware).</summary>
    public static string Actor(this HttpContext http) => http.RequestServices.GetRequiredService<TeamScope>().Actor;

    /// <summary>A new service scope acting as <paramref name="user"/>: for components that use a fresh scope per operation.</summary>
    public static AsyncServiceScope CreateScopeAs(this IServiceScopeFactory scopes, TeamScope user)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TeamScope>().CopyFrom(user);
        return scope;
    }
}
