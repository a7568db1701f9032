namespace GrowthBrain.Errors;

/// <summary>What kind of "no" a use case gives; each host turns it into its own form (HTTP status, page message, exit code).</summary>
public enum ErrorKind
{
    /// <summary>The request itself is wrong (a bad value, a missing field): 400.</summary>
    Invalid,
    /// <summary>The thing asked about does not exist or is not the caller's: 404.</summary>
    NotFound,
    /// <summary>Not possible in the current state (already sent, too few outcomes to train): 409.</summary>
    Conflict,
    /// <summary>The caller may not do this (a manager adding an owner): 403.</summary>
    Forbidden,
    /// <summary>A service GrowthBrain depends on (a CRM's API) refused or failed after retries: 502.</summary>
    Upstream,
}

/// <summary>
/// A request a use case cannot carry out as asked. The message is for the person who asked: it says what
/// was wrong and what to do. Hosts never catch these one by one; <see cref="DomainErrors"/> maps them once.
/// </summary>
public abstract class DomainException(string message, ErrorKind kind, string title, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>A short summary for problem details and page headings ("No such lead").</summary>
    public string Title { get; } = title;
}

/// <summary>What a host shows for a refused request.</summary>
public sealed record DomainError(ErrorKind Kind, string Title, string Message)
{
    /// <summary>The RFC 9457 status the API answers with.</summary>
    public int HttpStatus => Kind switch
    {
        ErrorKind.Invalid => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Forbidden => 403,
        ErrorKind.Upstream => 502,
        _ => 409,
    };

    /// <summary>
    /// The command line's exit code: 2 for every refusal of the request. Each one (a bad value, an unknown lead,
    /// "train a model first") is the person's to fix before running again, as the CLI has always answered; 1 is
    /// for work that failed on the way (a CRM that refused, the database, the disk).
    /// </summary>
    public int ExitCode => Kind == ErrorKind.Upstream ? 1 : 2;
}

/// <summary>The one mapping from exceptions to what a person is told, used by the API, the pages and the CLI alike.</summary>
public static class DomainErrors
{
    /// <summary>
    /// The refusal an exception stands for, or null when it is a fault (a bug, a lost database) that must
    /// surface as one. Handlers validate their requests with ArgumentException (the .NET convention for a
    /// bad argument), so it counts as an invalid request.
    /// </summary>
    public static DomainError? Describe(Exception e) => e switch
    {
        DomainException d => new DomainError(d.Kind, d.Title, d.Message),
        ArgumentException a => new DomainError(ErrorKind.Invalid, "Invalid request", a.Message),
        _ => null,
    };
}
