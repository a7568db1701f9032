using GrowthBrain.Data;

namespace GrowthBrain.Scoring;

/// <summary>A model switch and the rescoring that followed it.</summary>
public sealed record ModelSwitchRescored(ModelSwitch Switch, ScoreLeadsResult Rescored);

/// <summary>A trained version and, when it became the active one, the rescoring that followed.</summary>
public sealed record TrainedAndRescored(TrainModelResult Trained, ScoreLeadsResult? Rescored);

/// <summary>
/// Train, promote or roll back, then rescore the open leads at once, so every page shows the active model's
/// scores rather than the old one's until the nightly run. The team is settled once, before either step:
/// rescoring must reach the team whose model changed, not whichever team happens to sort first.
/// </summary>
public sealed class SwitchModelAndRescoreHandler(GrowthBrainDb db, TrainModelHandler trainer, PromoteModelHandler switcher, ScoreLeadsHandler scorer)
{
    public const string RescoringStep = "Rescoring open leads with the active model";

    public async Task<TrainedAndRescored> HandleAsync(TrainModel request, IProgress<string>? progress, CancellationToken ct)
    {
        var teamId = await TeamOfAsync(request.TeamId, ct);
        var trained = await trainer.HandleAsync(request with { TeamId = teamId }, progress, ct);
        return new TrainedAndRescored(trained, trained.Promoted ? await RescoreAsync(teamId, progress, ct) : null);
    }

    public async Task<ModelSwitchRescored> HandleAsync(PromoteModel request, IProgress<string>? progress, CancellationToken ct)
    {
        var teamId = await TeamOfAsync(request.TeamId, ct);
        var done = await switcher.HandleAsync(request with { TeamId = teamId }, ct);
        return new ModelSwitchRescored(done, await RescoreAsync(teamId, progress, ct));
    }

    public async Task<ModelSwitchRescored> HandleAsync(RollbackModel request, IProgress<string>? progress, CancellationToken ct)
    {
        var teamId = await TeamOfAsync(request.TeamId, ct);
        var done = await switcher.HandleAsync(request with { TeamId = teamId }, ct);
        return new ModelSwitchRescored(done, await RescoreAsync(teamId, progress, ct));
    }

    // The same default as training and promotion (the first team the caller sees), taken once for both steps.
    private async Task<long> TeamOfAsync(long? teamId, CancellationToken ct) =>
        teamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);

    private async Task<ScoreLeadsResult> RescoreAsync(long teamId, IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report(RescoringStep);
        return await scorer.HandleAsync(new ScoreLeads(teamId, Trigger: "batch"), null, ct);
    }
}
