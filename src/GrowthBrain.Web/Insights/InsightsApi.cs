using GrowthBrain.Insights;
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

        return api;
    }
}
