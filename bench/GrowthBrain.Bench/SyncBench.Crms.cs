using System.Diagnostics;
using System.Globalization;
using GrowthBrain.Data;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Leads;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Integrations.Pipedrive;
using GrowthBrain.Tests.Integrations.Salesforce;
using Microsoft.EntityFrameworkCore;

/// <summary>
/// `sync --crm salesforce|pipedrive` (issue 13): the same timed first sync, sync after and idle sync as for HubSpot,
/// against the loopback Salesforce (Leads: Status "Closed - Converted" with IsConverted for won, "Closed - Not
/// Converted" for lost, an open status otherwise) or the loopback Pipedrive (persons with their organization and custom
/// fields, a won, lost or open deal). Limits off: the connectors' and the fakes' limits are turned off, so the figures
/// say what the sync itself costs; the connection settings are only the documented ones.
/// </summary>
internal static partial class SyncBench
{
    /// <summary>One loopback CRM as the benchmark needs it: the settings pointing at it, and what it saw.</summary>
    private sealed record CrmFake(IAsyncDisposable Server, string Noun, Dictionary<string, string?> Settings, Func<int> Calls, Func<int> Writes, Func<int> Scored);

    private static async Task<Dictionary<string, object?>> RunCrmAsync(string crm, Options o)
    {
        var records = o.Int("records", 20_000);
        var ct = CancellationToken.None;
        var seedClock = Stopwatch.StartNew();
        var fake = await StartFakeAsync(crm, records, o.Int("seed", 42));
        await using var server = fake.Server;
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        GC.Collect();
        var fakeHeapMb = GC.GetTotalMemory(true) / 1048576.0;

        await using var database = await BenchDatabase.CreateAsync(o.Find("provider") ?? "sqlite", o.Find("connection"), ct);
        var settings = new Dictionary<string, string?>(fake.Settings)
        {
            ["Database:Provider"] = database.Settings.Provider.ToString(), ["ConnectionStrings:GrowthBrain"] = database.Settings.ConnectionString,
        };
        await using var services = Services(settings);
        await using (var db = new GrowthBrainDbFactory(database.Settings).CreateDbContext())
            await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), ct);

        var result = new Dictionary<string, object?>
        {
            ["mode"] = crm, ["provider"] = database.Settings.Provider.ToString(), ["records"] = records, ["noun"] = fake.Noun,
            ["seedSeconds"] = Math.Round(seedSeconds, 1), ["fakeHeapMbAfterSeed"] = Math.Round(fakeHeapMb, 1),
        };
        var first = await TimedSyncAsync(services, crm, ct);
        result["first"] = first.ToJson();
        (result["firstCalls"], result["firstWrites"]) = (fake.Calls(), fake.Writes());
        result["scoresInCrm"] = fake.Scored();
        await using (var db = new GrowthBrainDbFactory(database.Settings).CreateDbContext())
        {
            result["leadsScored"] = await db.Leads.CountAsync(l => l.ScoreProbability != null, ct);
            result["linksPushed"] = await db.CrmLinks.CountAsync(l => l.PushedHash != null, ct);
        }
        var writesBefore = fake.Writes();
        result["second"] = (await TimedSyncAsync(services, crm, ct)).ToJson();
        var callsBefore = fake.Calls();
        result["idle"] = (await TimedSyncAsync(services, crm, ct)).ToJson();
        result["idleCalls"] = fake.Calls() - callsBefore;
        result["laterWrites"] = fake.Writes() - writesBefore;
        return result;
    }

    private static async Task<CrmFake> StartFakeAsync(string crm, int records, int seed)
    {
        var leads = new SyntheticCrm(new SyntheticCrmOptions(Leads: records, Seed: seed, Now: DateTime.UtcNow)).Generate().ToList();
        return crm switch
        {
            "salesforce" => await SalesforceAsync(leads),
            "pipedrive" => await PipedriveAsync(leads),
            _ => throw new ArgumentException($"--crm is '{crm}'; use hubspot, salesforce or pipedrive"),
        };
    }

    private static async Task<CrmFake> SalesforceAsync(List<SyntheticLead> leads)
    {
        var sf = await FakeSalesforceServer.StartAsync();
        string[] open = ["Open - Not Contacted", "Working - Contacted"];
        sf.Store.Seed("Lead", leads.Count, (i, r) =>
        {
            var s = leads[i];
            (r.Fields["FirstName"], r.Fields["LastName"], r.Fields["Email"], r.Fields["Phone"]) = (s.FirstName, s.LastName ?? $"Lead {i}", s.Email, s.Phone);
            (r.Fields["Company"], r.Fields["Title"], r.Fields["Industry"], r.Fields["Country"]) = (s.Company ?? "[not provided]", s.JobTitle, s.Industry, s.Country);
            (r.Fields["NumberOfEmployees"], r.Fields["AnnualRevenue"], r.Fields["LeadSource"]) = (s.CompanySize, s.AnnualRevenue, s.Source);
            r.Fields["Status"] = s.Outcome switch { LeadOutcome.Won => "Closed - Converted", LeadOutcome.Lost => "Closed - Not Converted", _ => open[i % 2] };
            r.Fields["IsConverted"] = s.Outcome == LeadOutcome.Won;
        });
        return new CrmFake(sf, "leads", new()
        {
            ["Crm:Salesforce:LoginUrl"] = sf.Root, ["Crm:Salesforce:ClientId"] = sf.ClientId, ["Crm:Salesforce:ClientSecret"] = sf.ClientSecret,
            ["Crm:Salesforce:RefreshToken"] = sf.RefreshToken,
            // Limits off: no cap on calls in flight, none of the org's daily requests kept back (the fake's 15,000 a day are plenty).
            ["Crm:Salesforce:MaxConcurrentCalls"] = "0", ["Crm:Salesforce:DailyApiReservePercent"] = "0",
        }, () => sf.ApiCalls.Count, () => sf.ApiCalls.Count(c => c.Method is "PATCH" or "POST" or "DELETE"),
            () => sf.Store.All("Lead").Count(r => r.Text("GrowthBrain_Score__c") is not null));
    }

    private static async Task<CrmFake> PipedriveAsync(List<SyntheticLead> leads)
    {
        var pd = await FakePipedriveServer.StartAsync();
        // Limits off: Pipedrive's fair-usage count of writes a day would stop a sync writing 10,000+ persons one by one.
        pd.DailyWriteLimit = int.MaxValue;
        var (title, industry, country, size) = (pd.Store.AddField("Job title", "varchar"), pd.Store.AddField("Industry", "varchar"),
            pd.Store.AddField("Country", "varchar"), pd.Store.AddField("Company size", "double"));
        pd.Store.Organizations.Clear();
        var orgs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var company in leads.Select(l => l.Company).OfType<string>().Distinct(StringComparer.Ordinal))
            pd.Store.Organizations[orgs[company] = orgs.Count + 1] = company;
        var ids = pd.Store.Seed(leads.Count, (i, p) =>
        {
            var s = leads[i];
            (p.FirstName, p.LastName, p.Email, p.Phone) = (s.FirstName, s.LastName ?? $"Person {i}", s.Email, s.Phone);
            p.Name = $"{p.FirstName} {p.LastName}".Trim();
            p.OrgId = s.Company is { } c ? orgs[c] : null;
            (p.Custom[title.Key], p.Custom[industry.Key], p.Custom[country.Key]) = (s.JobTitle, s.Industry, s.Country);
            p.Custom[size.Key] = s.CompanySize;
        });
        var dealTime = pd.Store.Now() - TimeSpan.FromDays(1);
        for (var i = 0; i < ids.Count; i++)
        {
            var outcome = leads[i].Outcome;
            if (outcome == LeadOutcome.Won) pd.Store.AddDeal(ids[i], "won", updated: dealTime);
            else if (outcome == LeadOutcome.Lost) pd.Store.AddDeal(ids[i], "lost", updated: dealTime);
            else if (i % 2 == 0) pd.Store.AddDeal(ids[i], "open", stageId: 1 + i % 3, updated: dealTime);
        }
        int Scored()
        {
            var key = pd.Store.Fields.FirstOrDefault(f => f.Name == "GrowthBrain score")?.Key;
            return key is null ? 0 : pd.Store.Persons(p => p.Custom.GetValueOrDefault(key) is not null).Count;
        }
        return new CrmFake(pd, "persons", new()
        {
            ["Crm:Pipedrive:BaseUrl"] = pd.BaseUrl, ["Crm:Pipedrive:ApiToken"] = pd.Token,
            ["Crm:Pipedrive:BurstPer2Seconds"] = "0", ["Crm:Pipedrive:DailyTokenBudget"] = "0",
        }, () => pd.Calls.Count, () => pd.Calls.Count(c => c.Method is "PATCH" or "POST" or "PUT" or "DELETE"), Scored);
    }
}
