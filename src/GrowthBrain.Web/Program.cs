using GrowthBrain.Web.Accounts;
using GrowthBrain.Web;

var app = GrowthBrainWebApp.Build(args);
await app.PrepareDatabaseAsync(CancellationToken.None);
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
