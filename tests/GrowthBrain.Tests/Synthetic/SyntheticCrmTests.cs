using GrowthBrain.Leads;
using GrowthBrain.Synthetic;

namespace GrowthBrain.Tests.Synthetic;

public sealed class SyntheticCrmTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_same_seed_gives_the_same_crm()
    {
        var a = new SyntheticCrm(new SyntheticCrmOptions(500, Seed: 3, Now: Now)).Generate().Select(l => (l.Email, l.Outcome, l.Activities.Count)).ToList();
        var b = new SyntheticCrm(new SyntheticCrmOptions(500, Seed: 3, Now: Now)).Generate().Select(l => (l.Email, l.Outcome, l.Activities.Count)).ToList();
        var c = new SyntheticCrm(new SyntheticCrmOptions(500, Seed: 4, Now: Now)).Generate().Select(l => (l.Email, l.Outcome, l.Activities.Count)).ToList();

        a.ShouldBe(b);
        a.ShouldNotBe(c);
    }

    [Fact]
    public void Outcomes_depend_on_engagement_so_there_is_something_to_learn()
    {
        var leads = new SyntheticCrm(new SyntheticCrmOptions(20_000, Seed: 1, Now: Now)).Generate().ToList();
        var closed = leads.Where(l => l.Outcome != LeadOutcome.Open).ToList();

        double WinRate(IEnumerable<SyntheticLead> ls) => ls.Average(l => l.Outcome == LeadOutcome.Won ? 1.0 : 0.0);
        var quiet = WinRate(closed.Where(l => l.Activities.Count <= 3));
        var engaged = WinRate(closed.Where(l => l.Activities.Count >= 13));
        var overall = WinRate(closed);

        overall.ShouldBeInRange(0.18, 0.35);
        (leads.Count(l => l.Outcome == LeadOutcome.Open) / (double)leads.Count).ShouldBeInRange(0.3, 0.5);
        engaged.ShouldBeGreaterThan(quiet * 3);
    }

    [Fact]
    public void Every_lead_is_consistent_in_time_and_reachable()
    {
        foreach (var lead in new SyntheticCrm(new SyntheticCrmOptions(3_000, Seed: 9, Now: Now)).Generate())
        {
            lead.CreatedAt.ShouldBeLessThanOrEqualTo(Now);
            lead.CreatedAt.ShouldBeGreaterThan(Now.AddMonths(-19));
            (lead.Email is not null || lead.ExternalId.Length > 0).ShouldBeTrue();
            foreach (var a in lead.Activities)
            {
                a.OccurredAt.ShouldBeGreaterThanOrEqualTo(lead.CreatedAt);
                a.OccurredAt.ShouldBeLessThanOrEqualTo(lead.ClosedAt ?? Now);
            }
            if (lead.Outcome == LeadOutcome.Open) lead.ClosedAt.ShouldBeNull();
            else lead.ClosedAt.ShouldNotBeNull();
        }
    }
}
