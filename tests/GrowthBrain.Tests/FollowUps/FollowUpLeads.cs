using GrowthBrain.Leads;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>Small literal leads for the writer and guardrail tests.</summary>
internal static class FollowUpLeads
{
    public static Lead English(long id = 101) => new()
    {
        Id = id, FirstName = "Anna", LastName = "Meyer", Email = "anna@brightcart.example", Company = "Brightcart",
        Industry = "Retail", Country = "United States", JobTitle = "Head of Sales",
    };

    public static Lead German(long id = 202) => new()
    {
        Id = id, FirstName = "Jonas", LastName = "Weber", Email = "jonas@rheinwerk.example", Company = "Rheinwerk GmbH",
        Industry = "Manufacturing", Country = "Germany",
    };

    public static Lead Austrian(long id = 303) => new()
    {
        Id = id, FirstName = "Lena", Email = "lena@alpen.example", Company = "Alpenlogistik", Industry = "Logistics", Country = "AT",
    };

    /// <summary>Nothing but an e-mail: the writer must still produce a complete, checkable draft.</summary>
    public static Lead Bare(long id = 404) => new() { Id = id, Email = "someone@example.com" };

    public static Lead LongCompany(long id = 505) => new()
    {
        Id = id, FirstName = "Priya", LastName = "Raman", Company = "International Consolidated Software Holdings and Partners", Industry = "Software",
        Country = "India",
    };

    public static IEnumerable<Lead> All() => [English(), German(), Austrian(), Bare(), LongCompany()];
}
