using GrowthBrain.Data;
using GrowthBrain.Web;
using Microsoft.EntityFrameworkCore;

var app = GrowthBrainWebApp.Build(args);
using (var scope = app.Services.CreateScope())
{
    await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), CancellationToken.None);
}
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
