using GrowthBrain.Errors;

namespace GrowthBrain.Accounts;

/// <summary>A request about accounts that cannot be done as asked; the message says what to fix.</summary>
public sealed class AccountException(string message, ErrorKind kind = ErrorKind.Invalid)
    : DomainException(message, kind, kind switch
    {
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.Forbidden => "Not allowed",
        _ => "Invalid request",
    });
