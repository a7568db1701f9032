using GrowthBrain.Insights;
using GrowthBrain.Web.Export;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.Insights;

public static class InsightsApi
{
    public static RouteGroupBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/insights").WithTags("Insights");

        api.MapGet("/kpis", async Task<Ok<Overview>> (GetOverviewHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetOverview(), ct)))
            .WithSummary("The overview: conversion and sales cycle now against before, the monthly trend, funnel, lead health and the model's grades");

        api.MapGet("/export/{table}", async (string table, GetOverviewHandler handler, CancellationToken ct, string? format = null) =>
        {
            if (!TableExport.TryParseFormat(format, out var f, out var problem)) return problem;
            if (!OverviewTables.Contains(table, StringComparer.Ordinal))
                return TypedResults.Problem($"table is '{table}'; use one of {string.Join(", ", OverviewTables)}.", statusCode: StatusCodes.Status400BadRequest, title: "No such table");
            var o = await handler.HandleAsync(new GetOverview(), ct);
            // The overview's tables are a few dozen rows at most: computed once, then written like any other table.
            return table switch
            {
                "monthly" => TableExport.File("overview-monthly", f,
                    [new ExportColumn<MonthPoint>("Month", m => $"{m.Year:D4}-{m.Month:D2}"), new("Won", m => m.Won), new("Lost", m => m.Lost),
                     new("Conversion rate", m => m.ConversionRate), new("Median sales cycle (days)", m => m.MedianCycleDays)],
                    o.Monthly.ToAsyncEnumerable()),
                "funnel" => TableExport.File("overview-funnel", f,
                    [new ExportColumn<StageCount>("Stage", s => s.Stage), new("Open leads", s => s.Leads)], o.Funnel.ToAsyncEnumerable()),
                "by-grade" => TableExport.File("overview-by-grade", f,
                    [new ExportColumn<GradeConversion>("Grade", g => g.Grade), new("Held-out leads", g => g.Count), new("Converted", g => g.ConversionRate)],
                    (o.Model?.ByGrade ?? []).ToAsyncEnumerable()),
                "stale" => TableExport.File("overview-stale-leads", f,
                    [new ExportColumn<StaleLead>("Id", l => l.Id), new("Name", l => l.Name), new("Days since activity", l => l.DaysSinceActivity)],
                    o.Health.OldestStale.ToAsyncEnumerable()),
                _ => TableExport.File("overview-score-movers", f,
                    [new ExportColumn<ScoreMover>("Id", m => m.LeadId), new("Name", m => m.Name), new("From", m => m.From), new("To", m => m.To)],
                    o.Health.ScoreMovers.ToAsyncEnumerable()),
            };
        })
        .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("One of the overview's tables (monthly, funnel, by-grade, stale, movers) as CSV or XLSX");
        api.MapGet("/sources", async Task<Ok<SourceReport>> (GetSourceReportHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetSourceReport(), ct)))
            .WithSummary("Lead quality and conversion by source and by campaign: counts, conversion with its 95% interval, mean score, share of A/B grades, median days to close");

        api.MapGet("/team", async Task<Results<Ok<TeamReport>, ProblemHttpResult>> (GetTeamReportHandler handler, CancellationToken ct, int days = 90) =>
            {
                if (!GetTeamReport.Periods.Contains(days))
                    return TypedResults.Problem($"'days' is {days}; use one of {string.Join(", ", GetTeamReport.Periods)}.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Invalid period");
                return TypedResults.Ok(await handler.HandleAsync(new GetTeamReport(days), ct));
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Per rep over the last 30, 90 or 365 days: leads owned and open, median first response, follow-ups sent, reply rate, conversion");

        api.MapGet("/sources/export", async (GetSourceReportHandler handler, CancellationToken ct, string? format = null, string by = "source") =>
        {
            if (!TableExport.TryParseFormat(format, out var f, out var problem)) return problem;
            if (by is not ("source" or "campaign"))
                return TypedResults.Problem($"by is '{by}'; use source or campaign.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
            var report = await handler.HandleAsync(new GetSourceReport(), ct);
            var title = by == "campaign" ? "Campaign" : "Source";
            return TableExport.File(by == "campaign" ? "campaigns" : "sources", f,
                [new ExportColumn<SourceRow>(title, r => r.Name), new("Leads", r => r.Leads), new("Won", r => r.Won), new("Lost", r => r.Lost),
                 new("Open", r => r.Open), new("Conversion rate", r => r.ConversionRate), new("Conversion low (95%)", r => r.ConversionLow),
                 new("Conversion high (95%)", r => r.ConversionHigh), new("Mean score", r => r.MeanScore), new("Share A/B", r => r.ShareAB),
                 new("Median days to close", r => r.MedianDaysToClose)],
                (by == "campaign" ? report.Campaigns : report.Sources).ToAsyncEnumerable());
        })
        .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("The sources (or campaigns, by=campaign) table as CSV or XLSX");

        api.MapGet("/team/export", async (GetTeamReportHandler handler, CancellationToken ct, string? format = null, int days = 90) =>
        {
            if (!TableExport.TryParseFormat(format, out var f, out var problem)) return problem;
            if (!GetTeamReport.Periods.Contains(days))
                return TypedResults.Problem($"'days' is {days}; use one of {string.Join(", ", GetTeamReport.Periods)}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid period");
            var report = await handler.HandleAsync(new GetTeamReport(days), ct);
            return TableExport.File($"team-{days}-days", f,
                [new ExportColumn<RepRow>("Rep", r => r.Owner), new("Leads owned", r => r.LeadsOwned), new("Open", r => r.Open),
                 new("New leads", r => r.NewLeads), new("Median first response (hours)", r => r.MedianFirstResponseHours),
                 new("Follow-ups sent", r => r.FollowUpsSent), new("Replies", r => r.Replies), new("Reply rate", r => r.ReplyRate),
                 new("Won", r => r.Won), new("Lost", r => r.Lost), new("Conversion rate", r => r.ConversionRate)],
                report.Reps.ToAsyncEnumerable());
        })
        .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("The team table for the last 30, 90 or 365 days as CSV or XLSX");

        return api;
    }

    internal static readonly string[] OverviewTables = ["monthly", "funnel", "by-grade", "stale", "movers"];
}
