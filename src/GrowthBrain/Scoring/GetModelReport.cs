using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

/// <summary>The model page: the active version's evaluation, its drift on today's open leads, and every version.</summary>
public sealed record GetModelReport(long? TeamId = null)
{
    /// <summary>ROC-AUC below this on the holdout: the model found no usable signal, and the page says so.</summary>
    public const double NoSignalBelow = 0.55;
}

public sealed record VersionRow(
    int Version, string Status, string Kind, string Description, bool ColdStart, DateTime CreatedAt,
    DateTime? PromotedAt, string? PromotedBy, string? Note, int TrainingRows, int HoldoutRows, double? HoldoutRocAuc, double? HoldoutLogLoss);

/// <summary>One of ten equal-width score bands: the share of the holdout and of open leads (scored by this model) in it.</summary>
public sealed record DriftBin(double From, double To, double HoldoutShare, double OpenShare);

/// <summary>
/// Population stability index of the score, open leads now against the holdout the model was judged on:
/// under 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a large one (the usual credit-scoring reading).
/// Null when either side has no leads.
/// </summary>
public sealed record ScoreDrift(int HoldoutLeads, int OpenLeads, double? Psi, string Verdict, IReadOnlyList<DriftBin> Bins);

public sealed record ActiveModelReport(
    VersionRow Version,
    string Decision,
    EvaluationReport? Evaluation,
    IReadOnlyList<string> Warnings,
    bool ColdStart,
    bool NoSignal,
    ScoreDrift Drift);

/// <param name="ClosedLeads">How many leads a first model could learn from; counted only while there is no model (it is
/// what the empty page says), because at a million leads the count costs a scan.</param>
public sealed record ModelReportView(ActiveModelReport? Active, IReadOnlyList<VersionRow> Versions, int? ClosedLeads)
{
    public bool HasModels => Versions.Count > 0;
}

/// <summary>
/// Reads the stored evaluation of the active version (no model is loaded) and counts today's open leads into the
/// same ten score bands as the holdout's reliability table in one aggregate query, so drift costs one index scan.
/// </summary>
public sealed class GetModelReportHandler(GrowthBrainDb db)
{
    private const int Bins = 10;

    public async Task<ModelReportView> HandleAsync(GetModelReport request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var versions = await db.ModelVersions.AsNoTracking().Where(m => m.TeamId == teamId)
            .OrderByDescending(m => m.Number)
            .Select(m => new VersionRow(m.Number, m.Status.ToString(), m.Kind, m.Description, m.IsColdStart, m.CreatedAt, m.PromotedAt,
                m.PromotedBy, m.PromotionNote, m.TrainingRows, m.HoldoutRows, m.HoldoutRocAuc, m.HoldoutLogLoss))
            .ToListAsync(ct);
        int? closed = versions.Count > 0 ? null : await db.Leads.CountAsync(l => l.TeamId == teamId && l.Outcome != LeadOutcome.Open, ct);

        var active = await db.ModelVersions.AsNoTracking().Where(m => m.TeamId == teamId && m.Status == ModelStatus.Active)
            .Select(m => new { m.Id, m.Number, m.Report }).FirstOrDefaultAsync(ct);
        if (active is null) return new ModelReportView(null, versions, closed);

        var row = versions.First(v => v.Version == active.Number);
        var (report, unreadable) = Parse(active.Report);
        var evaluation = report?.Evaluation;
        var warnings = new List<string>();
        if (unreadable is not null) warnings.Add(unreadable);
        if (report is not null)
            warnings.AddRange((report.Training?.Warnings ?? []).Concat(evaluation?.Warnings ?? []).Distinct());
        if (evaluation is null && report is not null)
            warnings.Add("This version has no evaluation: too few recent closed leads of each outcome were held out to judge it.");
        var auc = evaluation?.RocAuc ?? row.HoldoutRocAuc;
        var noSignal = auc is { } a && (double.IsNaN(a) || a < GetModelReport.NoSignalBelow);

        return new ModelReportView(
            new ActiveModelReport(row, report?.Decision ?? "", evaluation, warnings, row.ColdStart, noSignal,
                await DriftAsync(teamId, active.Id, evaluation, ct)),
            versions, closed);
    }

    private static (ModelReport? Report, string? Problem) Parse(string json)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelReport>(json, ModelReport.Json), null);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            // A report written by an older version in another shape: show the version without its charts.
            return (null, "This version's stored report can't be read by this GrowthBrain; retrain to get charts for it.");
        }
    }

    private async Task<ScoreDrift> DriftAsync(long teamId, long versionId, EvaluationReport? evaluation, CancellationToken ct)
    {
        var holdout = new double[Bins];
        foreach (var b in evaluation?.Reliability ?? [])
            holdout[Math.Clamp((int)Math.Round(b.From * Bins), 0, Bins - 1)] += b.Count;

        // Only leads scored by this version: leads still carrying an older model's score would show a shift that is not there.
        var counts = await db.Leads.AsNoTracking()
            .Where(l => l.TeamId == teamId && l.Outcome == LeadOutcome.Open && l.ScoreModelVersionId == versionId && l.ScoreProbability != null)
            .GroupBy(l => 1)
            .Select(g => new[]
            {
                g.Count(l => l.ScoreProbability < 0.1),
                g.Count(l => l.ScoreProbability >= 0.1 && l.ScoreProbability < 0.2),
                g.Count(l => l.ScoreProbability >= 0.2 && l.ScoreProbability < 0.3),
                g.Count(l => l.ScoreProbability >= 0.3 && l.ScoreProbability < 0.4),
                g.Count(l => l.ScoreProbability >= 0.4 && l.ScoreProbability < 0.5),
                g.Count(l => l.ScoreProbability >= 0.5 && l.ScoreProbability < 0.6),
                g.Count(l => l.ScoreProbability >= 0.6 && l.ScoreProbability < 0.7),
                g.Count(l => l.ScoreProbability >= 0.7 && l.ScoreProbability < 0.8),
                g.Count(l => l.ScoreProbability >= 0.8 && l.ScoreProbability < 0.9),
                g.Count(l => l.ScoreProbability >= 0.9),
            })
            .FirstOrDefaultAsync(ct) ?? new int[Bins];
        return Drift(holdout, counts.Select(c => (double)c).ToArray());
    }

    /// <summary>PSI over matching bins; empty bins get a small floor so one empty band doesn't make it infinite.</summary>
    public static ScoreDrift Drift(IReadOnlyList<double> holdoutCounts, IReadOnlyList<double> openCounts)
    {
        const double floor = 1e-4;
        double holdoutTotal = holdoutCounts.Sum(), openTotal = openCounts.Sum();
        var bins = Enumerable.Range(0, holdoutCounts.Count).Select(i => new DriftBin(i / (double)holdoutCounts.Count, (i + 1) / (double)holdoutCounts.Count,
            holdoutTotal == 0 ? 0 : holdoutCounts[i] / holdoutTotal, openTotal == 0 ? 0 : openCounts[i] / openTotal)).ToList();
        if (holdoutTotal == 0 || openTotal == 0)
        {
            var why = holdoutTotal == 0 ? "No holdout score distribution is stored for this version." : "No open leads are scored by this version yet; run ./growthbrain score.";
            return new ScoreDrift((int)holdoutTotal, (int)openTotal, null, why, bins);
        }
        var psi = bins.Sum(b =>
        {
            double e = Math.Max(b.HoldoutShare, floor), a = Math.Max(b.OpenShare, floor);
            return (a - e) * Math.Log(a / e);
        });
        // Open leads are younger and less worked than closed ones, so some shift is normal; the verdict says what to check.
        var verdict = psi < 0.1 ? "Stable: open leads score like the leads the model was judged on."
            : psi < 0.25 ? "Moderate shift: open leads score differently from the holdout (some of it because open leads are younger); watch conversion by grade, consider retraining."
            : "Large shift: open leads score unlike the leads the model was judged on. Part of this is normal (open leads are younger and less worked); if conversion by grade also drifts, retrain on recent outcomes.";
        return new ScoreDrift((int)holdoutTotal, (int)openTotal, psi, verdict, bins);
    }
}
