using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

public sealed record TrainModel(long? TeamId = null, bool Force = false, string? RequestedBy = null, TimeSpan? Budget = null);

public sealed record TrainModelResult(
    int Version,
    bool Promoted,
    string Decision,
    TrainingReport Training,
    EvaluationReport? Evaluation,
    double? ActiveHoldoutRocAuc,
    int? ActiveVersion);

/// <summary>
/// Trains a new model version on the team's closed leads. The newest fifth of closed leads is held
/// out; the new model replaces the active one only if it does at least as well on that same holdout
/// (or a person forces it), so a retrain can never quietly make scores worse.
/// </summary>
public sealed class TrainModelHandler(GrowthBrainDb db, ActiveModels models, TimeProvider clock)
{
    public async Task<TrainModelResult> HandleAsync(TrainModel request, IProgress<string>? progress, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        progress?.Report("Reading closed leads and their activity");
        var closed = await db.Leads.AsNoTracking().Where(l => l.TeamId == teamId && l.Outcome != LeadOutcome.Open).ToListAsync(ct);
        if (closed.Count < 20)
            throw new ScoringException($"Only {closed.Count} leads are closed (won or lost); at least 20 are needed. Import your CRM's closed leads, or mark outcomes.");
        // Oldest first by when each lead was decided, so the holdout is the most recent decisions.
        closed = closed.OrderBy(l => LeadFeatures.ReferenceTime(l, now)).ThenBy(l => l.Id).ToList();
        // A sample of open leads lets leak detection see which columns only closed leads have filled.
        var open = await db.Leads.AsNoTracking().Where(l => l.TeamId == teamId && l.Outcome == LeadOutcome.Open)
            .OrderByDescending(l => l.Id).Take(2_000).ToListAsync(ct);
        var table = await LeadFeatures.BuildAsync(db, [.. closed, .. open], now, ct);

        var holdoutStart = closed.Count >= 100 ? (int)(closed.Count * 0.8) : closed.Count;
        var trainRows = Enumerable.Range(0, holdoutStart).Concat(Enumerable.Range(closed.Count, open.Count)).ToList();
        var holdout = Enumerable.Range(holdoutStart, closed.Count - holdoutStart).ToList();
        // The team's own list from Settings, when it set one; otherwise the built-in list.
        var protectedAttributes = await Settings.ProtectedAttributeSettingsHandler.ForTrainingAsync(db, teamId, ct);
        var options = new TrainingOptions(ProtectedAttributes: protectedAttributes, Budget: request.Budget, Templates: LeadFeatures.Templates, NeverProtected: LeadFeatures.Computed);
        var trained = await Task.Run(() => ScorerTrainer.Train(table, trainRows, options, progress, ct), ct);

        EvaluationReport? evaluation = null;
        double? activeAuc = null;
        int? activeVersion = null;
        if (holdout.Count > 0 && holdout.Any(i => table.Labels[i] == true) && holdout.Any(i => table.Labels[i] == false))
        {
            progress?.Report($"Evaluating on the newest {holdout.Count:N0} closed leads");
            evaluation = Evaluation.Evaluate(trained.Scorer, table, holdout, options.Protected, LeadFeatures.Computed);
            if (await models.GetAsync(db, teamId, ct) is { } active)
            {
                activeVersion = active.Version.Number;
                var y = holdout.Select(i => table.Labels[i]!.Value).ToList();
                activeAuc = Metrics.RocAuc(active.Scorer.Probabilities(table, holdout), y);
            }
        }

        var number = (await db.ModelVersions.Where(m => m.TeamId == teamId).MaxAsync(m => (int?)m.Number, ct) ?? 0) + 1;
        var newAuc = evaluation?.RocAuc;
        string decision;
        bool promote;
        if (activeVersion is null)
        {
            promote = true;
            decision = "First model for this team: it scores leads from now on.";
        }
        else if (request.Force)
        {
            promote = true;
            decision = $"Promoted by {request.RequestedBy ?? "a person"} without comparison (forced).";
        }
        else if (newAuc is { } n && activeAuc is { } a && n >= a - 1e-9)
        {
            promote = true;
            decision = $"Promoted: ROC-AUC {n:0.000} on the newest closed leads, at least as good as v{activeVersion} ({a:0.000}).";
        }
        else
        {
            promote = false;
            decision = newAuc is null
                ? $"Kept v{activeVersion}: too few recent closed leads of each outcome to compare the new model fairly."
                : $"Kept v{activeVersion}: the new model's ROC-AUC {newAuc:0.000} is below v{activeVersion}'s {activeAuc:0.000} on the same leads. Promote it by hand to use it anyway.";
        }

        var version = new ModelVersion
        {
            TeamId = teamId,
            Number = number,
            Status = ModelStatus.Candidate,
            Kind = trained.Scorer.Kind.ToString(),
            Description = trained.Scorer.Description,
            IsColdStart = trained.Scorer.IsColdStart,
            CreatedAt = now,
            TrainedFrom = closed.Take(holdoutStart).Min(l => (DateTime?)l.CreatedAt),
            TrainedTo = closed.Take(holdoutStart).Max(l => (DateTime?)l.CreatedAt),
            TrainingRows = trained.Report.TrainingRows + trained.Report.CalibrationRows,
            HoldoutRows = holdout.Count,
            HoldoutRocAuc = newAuc is { } auc && double.IsFinite(auc) ? auc : null,
            HoldoutLogLoss = evaluation?.LogLoss,
            Report = JsonSerializer.Serialize(new ModelReport(trained.Report, evaluation, decision), ModelReport.Json),
            FeatureSchema = JsonSerializer.Serialize(trained.Scorer.Schema, ModelReport.Json),
            Model = trained.Scorer.Save(),
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await new Audit.AuditLog(clock).RecordAsync(db, request.RequestedBy ?? "training", "model.trained", teamId, "model", $"v{number}",
            $"{version.Description}; ROC-AUC {version.HoldoutRocAuc:0.000} on {holdout.Count} held-out leads; {decision}", ct);
        if (promote)
        {
            await PromoteModelHandler.ActivateAsync(db, version, request.RequestedBy ?? "training", decision, now, ct);
        }
        return new TrainModelResult(number, promote, decision, trained.Report, evaluation, activeAuc, activeVersion);
    }
}

/// <summary>What is stored with each version and shown on the model page.</summary>
public sealed record ModelReport(TrainingReport Training, EvaluationReport? Evaluation, string Decision)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
