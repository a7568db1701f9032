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

        return api;
    }
}
