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
}
