using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace GrowthBrain.FollowUps;

/// <summary>
/// Outgoing mail (`Smtp:*`). Without <see cref="Host"/> GrowthBrain is in drafts-only mode: drafts are written,
/// checked and approved, and nothing is sent.
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>The sending mailbox, "Sam Carter &lt;sam@example.com&gt;" or a bare address; the daily cap counts per mailbox.</summary>
    public string? From { get; set; }

    /// <summary>Where the List-Unsubscribe mailto points; the From address when empty. Someone (or the IMAP poller) must read it.</summary>
    public string? UnsubscribeMailbox { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    // A method, not a property: options validation reads every property, and this one throws until From is set.
    public MailboxAddress FromAddress() => MailboxAddress.Parse(From!);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (Port is < 1 or > 65535) yield return new($"Smtp:Port is {Port}; use the server's port (587 for STARTTLS, 465 for TLS, 25).");
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out var from) || !from.Address.Contains('@'))
            yield return new($"Smtp:From is '{From}'; set the sending address, e.g. \"Sam Carter <sam@example.com>\".");
        if (!string.IsNullOrWhiteSpace(UnsubscribeMailbox) && !MailboxAddress.TryParse(UnsubscribeMailbox, out _))
            yield return new($"Smtp:UnsubscribeMailbox is '{UnsubscribeMailbox}'; set an e-mail address or leave it empty.");
        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
            yield return new("Smtp:User and Smtp:Password go together; set both, or neither for a server that needs no sign-in.");
    }
}

/// <summary>`App:*`: settings of the app as a whole.</summary>
public sealed class AppOptions : IValidatableObject
{
    public const string Section = "App";

    /// <summary>The address people reach the app at, for links in mail (unsubscribe); empty: the request's own.</summary>
    public string? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FollowUps.PublicUrl.Problem(PublicUrl) is { } problem) yield return new(problem);
    }
}

/// <summary>`App:PublicUrl` as an address. Null: the request's own.</summary>
public sealed record PublicUrl(Uri? Value)
{
    public static PublicUrl From(string? configured)
    {
        if (Problem(configured) is { } problem) throw new InvalidOperationException(problem);
        return new PublicUrl(string.IsNullOrWhiteSpace(configured) ? null : new Uri(configured, UriKind.Absolute));
    }

    internal static string? Problem(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
        || (Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            ? null
            : $"App:PublicUrl is '{configured}'; set the app's public address, e.g. https://growth.example.com.";
}
