using GrowthBrain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// A Blazor circuit has its own services, not the HTTP request's, so the middleware that sets the
/// request's TeamScope does not reach it. This sets the circuit's scope from the circuit's user before
/// any component renders, and again if the authentication state changes.
/// </summary>
public sealed class TeamScopeCircuitHandler(AuthenticationStateProvider authentication, TeamScope scope) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnChanged;
        scope.SetUser((await authentication.GetAuthenticationStateAsync()).User);
    }

    private void OnChanged(Task<AuthenticationState> state) => _ = UpdateAsync(state);

    private async Task UpdateAsync(Task<AuthenticationState> state)
    {
        try
        {
            scope.SetUser((await state).User);
        }
        catch
        {
            // An authentication state that failed to load leaves nothing visible.
            scope.SetUser(null);
        }
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnChanged;
}
