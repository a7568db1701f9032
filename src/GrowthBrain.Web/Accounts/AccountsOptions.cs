namespace GrowthBrain.Web.Accounts;

/// <summary>`Accounts:*` for the web app's first run and the demo; single sign-on has its own <see cref="OidcOptions"/>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Set only by `./growthbrain demo` (loopback only): browsers on this machine are signed in as this user.</summary>
    public string? AutoSignInEmail { get; set; }

    /// <summary>The owner an automated install creates on a fresh database (<see cref="OwnerFromConfiguration"/>).</summary>
    public OwnerOptions Owner { get; set; } = new();
}

/// <summary>
/// `Accounts:Owner:*`. Email without Password is refused only on a fresh database, not on start: an installation
/// that is set up may drop the password from its configuration.
/// </summary>
public sealed class OwnerOptions
{
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? Password { get; set; }
    public string? Team { get; set; }

    // The password is deliberately left out: options end up in logs and exception messages.
    public override string ToString() => $"Accounts:Owner:Email={Email ?? "(none)"}, Accounts:Owner:Password={(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")}";
}
