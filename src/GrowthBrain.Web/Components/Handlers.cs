using GrowthBrain.Accounts;
using GrowthBrain.Errors;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Components;

/// <summary>
/// How a page or component calls a use case: <c>@inject Handlers Handlers</c>, then
/// <c>await Handlers.RunAsync((GetOverviewHandler h, CancellationToken ct) =&gt; h.HandleAsync(new GetOverview(), ct))</c>.
/// </summary>
/// <remarks>
/// A Blazor circuit lives as long as the browser tab, far too long for one DbContext, and its service scope is
/// shared by every event on the page. So each call gets a fresh service scope acting as the signed-in person
/// (the circuit's <see cref="TeamScope"/>), and the handler comes from dependency injection there, exactly as an
/// endpoint gets it. The token is cancelled when the circuit closes, so work for a closed tab stops.
/// </remarks>
public sealed class Handlers(IServiceScopeFactory scopes, TeamScope user) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    /// <summary>Runs a use case; a refusal (a domain error) is thrown on, for the caller to show.</summary>
    public async Task<TResult> RunAsync<THandler, TResult>(Func<THandler, CancellationToken, Task<TResult>> work) where THandler : notnull
    {
        await using var scope = scopes.CreateScopeAs(user);
        return await work(scope.ServiceProvider.GetRequiredService<THandler>(), _closed.Token);
    }

    public async Task RunAsync<THandler>(Func<THandler, CancellationToken, Task> work) where THandler : notnull
    {
        await using var scope = scopes.CreateScopeAs(user);
        await work(scope.ServiceProvider.GetRequiredService<THandler>(), _closed.Token);
    }

    /// <summary>
    /// Runs a use case and turns a refusal into the message to show (through the one mapping, <see cref="DomainErrors"/>).
    /// Faults are not caught: they reach Blazor's error UI like any bug.
    /// </summary>
    public async Task<Outcome<TResult>> TryRunAsync<THandler, TResult>(Func<THandler, CancellationToken, Task<TResult>> work) where THandler : notnull
    {
        try
        {
            return new Outcome<TResult>(await RunAsync(work), null);
        }
        catch (Exception e) when (DomainErrors.Describe(e) is { } error)
        {
            return new Outcome<TResult>(default, error);
        }
    }

    /// <summary>As <see cref="TryRunAsync{THandler,TResult}"/> for a use case with no result: null when it was done, else what went wrong.</summary>
    public async Task<DomainError?> TryRunAsync<THandler>(Func<THandler, CancellationToken, Task> work) where THandler : notnull
    {
        try
        {
            await RunAsync(work);
            return null;
        }
        catch (Exception e) when (DomainErrors.Describe(e) is { } error)
        {
            return error;
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
    }
}

/// <summary>What a use case gave, or why it refused.</summary>
public sealed record Outcome<T>(T? Value, DomainError? Error)
{
    public bool Succeeded => Error is null;
}
