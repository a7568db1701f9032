using GrowthBrain.Errors;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Live;

namespace GrowthBrain.Sequences;

public sealed record CompleteTask(long TaskId, string Actor);

public sealed class TaskNotFoundException(long id)
    : DomainException($"No task has the id {id}; a lead's open tasks are in GET /api/leads/{{id}}/sequence.", ErrorKind.NotFound, "No such task");

/// <summary>The task is not open any more; the message says who closed it and when.</summary>
public sealed class TaskStateException(string message) : DomainException(message, ErrorKind.Conflict, "The task is already done");

/// <summary>
/// A rep marks a call or task done. The sequence does not wait for it: the runner moved the enrolment on when it made the
/// task (the next step is timed from then), so this closes the task and records who did it, and nothing else moves.
/// </summary>
public sealed class CompleteTaskHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<LeadTaskView> HandleAsync(CompleteTask request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who did the task.");
        var task = await db.LeadTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == request.TaskId, ct) ?? throw new TaskNotFoundException(request.TaskId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Conditional, so two people clicking at once cannot both close it (and the first one's name stays).
        var closed = await db.LeadTasks.Where(t => t.Id == task.Id && t.DoneAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.DoneAt, now).SetProperty(t => t.DoneBy, request.Actor), ct);
        if (closed == 0)
        {
            var done = await db.LeadTasks.AsNoTracking().Where(t => t.Id == task.Id).Select(t => new { t.DoneAt, t.DoneBy }).FirstAsync(ct);
            throw new TaskStateException($"Task {task.Id} was already marked done by {done.DoneBy} at {done.DoneAt:u}.");
        }
        audit.Add(db, request.Actor, "task.done", task.TeamId, "lead", CreateSequenceHandler.Id(task.LeadId),
            $"task {task.Id} ({task.Kind}){(task.EnrolmentId is { } e ? $", enrolment {e}" : "")}: {task.Title}");
        await db.SaveChangesAsync(ct);
        await ChangeMarker.BumpAsync(db, task.TeamId, "task", now, ct);
        await tx.CommitAsync(ct);
        return new LeadTaskView(task.Id, task.Kind, task.Title, task.DueAt, task.EnrolmentId, now);
    }
}
