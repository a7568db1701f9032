using GrowthBrain.Errors;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Accounts;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;

namespace GrowthBrain.Sequences;

[JsonConverter(typeof(JsonStringEnumConverter<StepKind>))]
public enum StepKind
{
    /// <summary>A follow-up e-mail written by the team's writer with the step's goal and tone.</summary>
    Email = 0,
    /// <summary>A call for the lead's owner: a task on the lead page.</summary>
    CallTask = 1,
    /// <summary>Anything else a person should do (connect on LinkedIn, send a sample).</summary>
    Task = 2,
}

/// <param name="DelayDays">Days after the previous step (after its e-mail was sent), or after enrolment for the first step.
/// "E-mail day 0, follow-up day 3, call day 7" is delays 0, 3 and 4.</param>
/// <param name="RequiresApproval">E-mail steps only: false lets a draft that passes every check go out by itself, and only when
/// the team's playbook allows auto-send; the playbook always wins.</param>
/// <param name="Title">What the task or call is about; shown on the lead page.</param>
/// <param name="Id">The step's identity within its sequence, kept when the step is edited or moved and never reused. Enrolments
/// point at a step by it, so an edit cannot make a lead repeat or jump a step (docs/adr/0012-sequence-edits-and-running-enrolments.md).
/// 0 (or left out) on a new step: the sequence gives it one.</param>
public sealed record SequenceStep(
    int DelayDays, StepKind Kind, FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly, bool RequiresApproval = true, string? Title = null, int Id = 0);

/// <summary>
/// A team's cadence. The steps are stored whole as JSON: they are always read and written together and never
/// queried by field. Enrolments point at a step by its <see cref="SequenceStep.Id"/>, so an edit applies from each
/// enrolment's next step on.
/// </summary>
public sealed class Sequence : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public string Steps { get; set; } = "[]";
    public bool Archived { get; set; }
    /// <summary>No step runs and no approved e-mail goes out for any of its enrolments until it is resumed; stop signals still apply.</summary>
    public bool Paused { get; set; }
    /// <summary>The highest step id ever given out, so a removed step's id is never given to a new step.</summary>
    public int LastStepId { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public IReadOnlyList<SequenceStep> StepList => ReadSteps(Steps);

    public static string WriteSteps(IEnumerable<SequenceStep> steps) => JsonSerializer.Serialize(steps.ToList(), Json);

    /// <summary>
    /// Steps stored before steps had ids get their position (1, 2, 3...) as id, the same rule the start-up backfill
    /// uses for the enrolments and step runs of that time (<see cref="SequenceStepIds.BackfillAsync"/>).
    /// </summary>
    public static IReadOnlyList<SequenceStep> ReadSteps(string json)
    {
        var steps = string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<SequenceStep>>(json, Json) ?? [];
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Id <= 0) steps[i] = steps[i] with { Id = i + 1 };
        return steps;
    }

    /// <summary>The position of the step with this id, or -1 when the sequence no longer has it.</summary>
    public static int IndexOf(IReadOnlyList<SequenceStep> steps, int? id)
    {
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Id == id) return i;
        return -1;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

public sealed class SequenceNotFoundException(long id)
    : DomainException($"No sequence has the id {id}; list them with GET /api/sequences.", ErrorKind.NotFound, "No such sequence");

public sealed class EnrolmentNotFoundException(string message) : DomainException(message, ErrorKind.NotFound, "No such enrolment");

/// <summary>The enrolment is in a state where the action makes no sense; the message says what to do instead.</summary>
public sealed class EnrolmentStateException(string message)
    : DomainException(message, ErrorKind.Conflict, "Not possible in the enrolment's current state");

internal sealed class SequenceConfiguration : IEntityTypeConfiguration<Sequence>
{
    public void Configure(EntityTypeBuilder<Sequence> e)
    {
        e.ToTable("sequences");
        e.Property(s => s.Name).HasMaxLength(Lead.ShortText);
        e.Property(s => s.CreatedBy).HasMaxLength(Lead.ShortText);
        e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.Ignore(s => s.StepList);
        e.HasIndex(s => new { s.TeamId, s.Name });
        e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
