using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;

namespace GrowthBrain.Sequences;

public sealed record CreateSequence(long TeamId, string Name, IReadOnlyList<SequenceStep>? Steps, string Actor);

/// <param name="Paused">No step runs for its enrolments until it is resumed.</param>
public sealed record SequenceView(long Id, long TeamId, string Name, IReadOnlyList<SequenceStep> Steps, bool Archived, DateTime UpdatedAt, string UpdatedBy, bool Paused = false)
{
    public static SequenceView From(Sequence s) => new(s.Id, s.TeamId, s.Name, s.StepList, s.Archived, s.UpdatedAt, s.UpdatedBy, s.Paused);
}

/// <summary>A manager adds a cadence for the team.</summary>
public sealed class CreateSequenceHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public const int MaxSteps = 20;
    public const int MaxDelayDays = 365;

    public async Task<SequenceView> HandleAsync(CreateSequence request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who creates the sequence.");
        var (name, steps) = Validate(request.Name, request.Steps);
        // The query filter hides other teams: a team the caller can't see is "not found", like any other id.
        if (!await db.Teams.AnyAsync(t => t.Id == request.TeamId, ct)) throw new TeamNotFoundException(request.TeamId);
        var now = clock.GetUtcNow().UtcDateTime;
        var sequence = new Sequence
        {
            // A new sequence numbers its steps from 1; ids sent along (a copy of another sequence) mean nothing here.
            TeamId = request.TeamId, Name = name, Steps = Sequence.WriteSteps(steps.Select((s, i) => s with { Id = i + 1 })), LastStepId = steps.Count,
            CreatedAt = now, CreatedBy = request.Actor, UpdatedAt = now, UpdatedBy = request.Actor,
        };
        db.Sequences.Add(sequence);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, request.Actor, "sequence.created", sequence.TeamId, "sequence", Id(sequence.Id), $"{name}: {steps.Count} step(s)", ct);
        return SequenceView.From(sequence);
    }

    internal static (string Name, List<SequenceStep> Steps) Validate(string? name, IReadOnlyList<SequenceStep>? steps)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("name is empty; give the sequence a name reps will recognise.");
        if (name.Length > Lead.ShortText) throw new ArgumentException($"name is {name.Length} characters; keep it under {Lead.ShortText}.");
        if (steps is null || steps.Count == 0) throw new ArgumentException("steps is empty; a sequence needs at least one step, e.g. {\"delayDays\":0,\"kind\":\"Email\"}.");
        if (steps.Count > MaxSteps) throw new ArgumentException($"steps has {steps.Count} entries; at most {MaxSteps}.");
        var clean = new List<SequenceStep>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i] ?? throw new ArgumentException($"step {i + 1} is null.");
            var where = $"step {i + 1}";
            if (s.DelayDays is < 0 or > MaxDelayDays) throw new ArgumentException($"{where}: delayDays is {s.DelayDays}; use 0 to {MaxDelayDays} days after the previous step.");
            if (!Enum.IsDefined(s.Kind)) throw new ArgumentException($"{where}: kind is not one of {string.Join(", ", Enum.GetNames<StepKind>())}.");
            if (s.Goal is { } g && !Enum.IsDefined(g)) throw new ArgumentException($"{where}: goal is not one of {string.Join(", ", Enum.GetNames<FollowUpGoal>())}.");
            if (!Enum.IsDefined(s.Tone)) throw new ArgumentException($"{where}: tone is not one of {string.Join(", ", Enum.GetNames<Tone>())}.");
            var title = s.Title?.Trim();
            if (title is { Length: > Lead.ShortText }) throw new ArgumentException($"{where}: title is {title.Length} characters; keep it under {Lead.ShortText}.");
            if (s.Kind != StepKind.Email && string.IsNullOrEmpty(title))
                title = s.Kind == StepKind.CallTask ? "Call the lead" : "Follow up with the lead";
            clean.Add(s.Kind == StepKind.Email
                ? s with { Goal = s.Goal ?? (clean.Any(c => c.Kind == StepKind.Email) ? FollowUpGoal.NoReplyYet : FollowUpGoal.FirstTouch), Title = string.IsNullOrEmpty(title) ? null : title }
                : s with { Goal = null, RequiresApproval = true, Title = title });
        }
        return (name, clean);
    }

    internal static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
