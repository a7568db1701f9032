namespace GrowthBrain.Synthetic;

internal enum Seniority { CLevel, VicePresident, Director, Manager, IndividualContributor, Student }

internal enum SizeBand { Micro, Small, MidMarket, UpperMidMarket, Large, Enterprise }

/// <summary>What the hidden process looks at when it decides whether a closed lead was won.</summary>
internal readonly record struct ConversionFacts(
    Seniority Seniority,
    SizeBand Size,
    int Source,
    int Industry,
    int Campaign,
    int Owner,
    int EmailsOpened,
    int EmailsClicked,
    int EmailsReplied,
    int Calls,
    int Meetings,
    int PageViews,
    bool RequestedDemo,
    bool DownloadedPricing,
    double DaysSinceLastEngagement,
    double Intent);

/// <summary>
/// The ground truth a scoring model has to recover. Every effect is deliberately non-linear
/// (tables, saturating curves, thresholds, interactions) so that a linear model on raw columns
/// does visibly worse than a tree ensemble, and every input except <c>Intent</c> is visible in the
/// export (titles, sizes, sources, campaigns, activity counts, dates).
/// </summary>
internal static class HiddenConversionProcess
{
    public static readonly string[][] TitlesBySeniority =
    [
        ["CEO", "Chief Executive Officer", "Founder & CEO", "CFO", "CTO", "Chief Marketing Officer", "COO", "Chief Revenue Officer", "Co-Founder", "Owner"],
        ["VP of Sales", "VP Marketing", "Vice President, Engineering", "VP Operations", "SVP Business Development", "Vice President of Finance"],
        ["Director of Marketing", "Sales Director", "Head of Growth", "Director, IT", "Head of Operations", "Engineering Director", "Head of Procurement"],
        ["Marketing Manager", "Sales Manager", "IT Manager", "Operations Manager", "Product Manager", "Account Manager", "Procurement Manager", "Team Lead"],
        ["Sales Representative", "Software Engineer", "Marketing Specialist", "Business Analyst", "Account Executive", "Accountant", "Consultant", "Data Analyst", "Customer Success Associate", "Designer", "Office Administrator"],
        ["Student", "Intern", "MBA Candidate", "Graduate Student", "Marketing Intern", "Research Assistant"],
    ];

    public static readonly double[] SeniorityWeights = [8, 8, 14, 25, 37, 8];

    public static readonly string[] Sources =
        ["Referral", "Webinar", "Organic Search", "Paid Search", "LinkedIn", "Trade Show", "Cold Outbound", "Partner", "Content Download"];

    public static readonly double[] SourceWeights = [7, 10, 18, 14, 12, 7, 14, 6, 12];

    // Referrals and partner leads close far more often than bought or cold ones: the usual B2B ordering.
    private static readonly double[] SourceEffect = [1.1, 0.35, 0.0, -0.5, -0.35, 0.15, -1.0, 0.6, -0.25];

    // How eager a lead from the source is to engage, before its own intent.
    public static readonly double[] SourceIntent = [0.5, 0.3, 0.2, -0.1, -0.1, 0.1, -0.6, 0.3, 0.2];

    /// <summary>Campaign names; the first five target one industry each (index into <see cref="SyntheticPools.Industries"/>).</summary>
    public static readonly (string Name, int TargetIndustry)[] Campaigns =
    [
        ("Fintech Summit 2024 Follow-up", 1),
        ("Healthcare Compliance Guide", 2),
        ("Retail Peak Season Playbook", 3),
        ("SaaS Growth Webinar Series", 0),
        ("Smart Factory Roadshow", 4),
        ("Spring Newsletter", -1),
        ("Product Launch 2025", -1),
        ("Q4 Promo", -1),
        ("Brand Awareness - Always On", -1),
        ("Customer Stories, Volume 2", -1),
    ];

    public const int TargetedCampaigns = 5;

    private static readonly double[] IndustryEffect = [0.25, 0.1, 0.0, -0.1, 0.05, -0.45, -0.15, 0.15, -0.1, 0.0, -0.2, -0.35, -0.55, 0.1, 0.0];

    // Rows: seniority; columns: size band. Not monotone on purpose: a CEO of a 20-person firm signs
    // the contract herself, a CEO of a 20,000-person firm never answers, a director there owns the budget.
    private static readonly double[,] SeniorityBySize =
    {
        //  micro  small   mid   upper  large  enterprise
        {  0.6,   0.8,   0.7,   0.2,  -0.4,  -0.9 }, // C-level
        {  0.2,   0.5,   0.8,   0.7,   0.4,   0.1 }, // VP
        {  0.0,   0.3,   0.7,   0.9,   0.8,   0.6 }, // Director
        { -0.1,   0.1,   0.4,   0.5,   0.4,   0.2 }, // Manager
        { -0.5,  -0.4,  -0.2,  -0.3,  -0.5,  -0.6 }, // Individual contributor
        { -2.0,  -2.1,  -2.2,  -2.2,  -2.1,  -2.0 }, // Student
    };

    // Mid-market is the sweet spot: big enough to have budget, small enough to decide quickly.
    private static readonly double[] SizeEffect = [-0.6, -0.1, 0.4, 0.4, 0.0, -0.3];

    // Chosen so that roughly a quarter of closed leads are won (checked by the generator's console check).
    private const double Intercept = -2.65;

    public static SizeBand SizeBandOf(int employees) => employees switch
    {
        <= 10 => SizeBand.Micro,
        <= 50 => SizeBand.Small,
        <= 200 => SizeBand.MidMarket,
        <= 1000 => SizeBand.UpperMidMarket,
        <= 5000 => SizeBand.Large,
        _ => SizeBand.Enterprise,
    };

    public static string SizeBandLabel(SizeBand band) => band switch
    {
        SizeBand.Micro => "1-10",
        SizeBand.Small => "11-50",
        SizeBand.MidMarket => "51-200",
        SizeBand.UpperMidMarket => "201-1000",
        SizeBand.Large => "1001-5000",
        _ => "5001+",
    };

    public static double WinProbability(in ConversionFacts f, double ownerEffect, double noise)
    {
        var logit = Intercept
            + SourceEffect[f.Source]
            + SeniorityBySize[(int)f.Seniority, (int)f.Size]
            + SizeEffect[(int)f.Size]
            + IndustryEffect[f.Industry]
            + CampaignFit(f.Campaign, f.Industry)
            + Engagement(f)
            + Recency(f.DaysSinceLastEngagement)
            + ownerEffect
            + 0.3 * f.Intent
            + noise;
        return 1.0 / (1.0 + Math.Exp(-logit));
    }

    private static double CampaignFit(int campaign, int industry)
    {
        if (campaign < 0 || campaign >= TargetedCampaigns) return 0.0;
        // A campaign written for the lead's industry lands; one written for another industry puts them off.
        return Campaigns[campaign].TargetIndustry == industry ? 0.8 : -0.4;
    }

    private static double Engagement(in ConversionFacts f)
    {
        var inbound = f.EmailsOpened + f.EmailsClicked + f.EmailsReplied + f.Meetings + f.PageViews
            + (f.RequestedDemo ? 1 : 0) + (f.DownloadedPricing ? 1 : 0);
        if (inbound == 0) return -0.8;

        // Opens, clicks and page views saturate: the tenth open says little more than the third.
        var score = 0.8 * (1 - Math.Exp(-f.EmailsOpened / 2.0))
            + 0.9 * (1 - Math.Exp(-f.EmailsClicked / 1.5))
            + 0.6 * Math.Tanh(f.PageViews / 5.0)
            + 0.2 * Math.Min(f.Calls, 3) / 3.0;
        // Replies and meetings are thresholds: the first one changes the conversation.
        if (f.EmailsReplied >= 1) score += 0.9;
        if (f.EmailsReplied >= 3) score += 0.3;
        if (f.Meetings >= 1) score += 1.0;
        if (f.Meetings >= 2) score += 0.4;
        if (f.RequestedDemo) score += 1.2;
        if (f.DownloadedPricing) score += 0.5;
        return score;
    }

    // Interest decays: a lead that went quiet weeks before the decision rarely signs.
    private static double Recency(double daysSinceLastEngagement) => -0.5 * Math.Log(1 + Math.Max(0, daysSinceLastEngagement) / 10.0);
}
