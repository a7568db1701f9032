using GrowthBrain.Accounts;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Blazor components create a short-lived context per operation (a circuit lives too long for one
/// context); this factory gives each of them the circuit's team scope. Pages inject
/// <c>IDbContextFactory&lt;GrowthBrainDb&gt;</c>, never GrowthBrainDbFactory, which sees every team.
/// </summary>
public sealed class TeamScopedDbFactory(GrowthBrainDbFactory factory, TeamScope scope) : IDbContextFactory<GrowthBrainDb>
{
    public GrowthBrainDb CreateDbContext()
    {
        var db = factory.CreateDbContext();
        db.Scope = scope;
        return db;
    }
}
