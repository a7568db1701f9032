namespace GrowthBrain.Accounts;

/// <summary>A request about accounts that cannot be done as asked; the message says what to fix.</summary>
public sealed class AccountException(string message, AccountError error = AccountError.Invalid) : Exception(message)
{
    public AccountError Error { get; } = error;
}

public enum AccountError
{
    /// <summary>Bad input: 400, exit code 2.</summary>
    Invalid,
    /// <summary>The thing does not exist or is not the caller's: 404.</summary>
    NotFound,
    /// <summary>Not allowed in the current state (set-up already done): 409.</summary>
    Conflict,
}
