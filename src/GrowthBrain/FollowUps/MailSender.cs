using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GrowthBrain.FollowUps;

/// <summary>The SMTP failed; <see cref="NotSent"/> says whether the mail certainly did not leave.</summary>
public sealed class MailSendException(string message, bool notSent, Exception inner) : Exception(message, inner)
{
    /// <summary>True when the server refused or was never reached; false when the outcome is unknown (connection lost mid-send).</summary>
    public bool NotSent { get; } = notSent;
}

/// <summary>Sends one message over SMTP with MailKit. A connection per message: follow-ups are a few hundred a day per mailbox.</summary>
public sealed class MailSender(IOptions<SmtpOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public SmtpOptions Options => options.Value;

    /// <param name="storedPassword">An SMTP password an admin entered in Settings (encrypted at rest); it wins over Smtp:Password.</param>
    public async Task SendAsync(MimeMessage message, CancellationToken ct, string? storedPassword = null)
    {
        var o = options.Value;
        if (!o.Enabled) throw new InvalidOperationException("Smtp:Host is not set: GrowthBrain is in drafts-only mode.");
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            // Auto: TLS on connect for 465, STARTTLS when the server offers it otherwise.
            await client.ConnectAsync(o.Host!, o.Port, SecureSocketOptions.Auto, ct);
            if (!string.IsNullOrEmpty(o.User)) await client.AuthenticateAsync(o.User, storedPassword ?? o.Password ?? "", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new MailSendException($"Could not reach or sign in to {o.Host}:{o.Port}: {e.Message}", notSent: true, e);
        }

        try
        {
            await client.SendAsync(message, ct);
        }
        catch (SmtpCommandException e)
        {
            // The server answered with a refusal (sender, recipient or the message itself): it did not take the mail.
            throw new MailSendException($"{o.Host} refused the mail: {e.StatusCode} {e.Message}", notSent: true, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Lost mid-conversation: the server may have queued it already.
            throw new MailSendException($"The connection to {o.Host} failed while sending: {e.Message}", notSent: false, e);
        }

        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or System.Net.Sockets.SocketException)
        {
            // The server accepted the message before this; a failed QUIT changes nothing.
        }
    }
}
