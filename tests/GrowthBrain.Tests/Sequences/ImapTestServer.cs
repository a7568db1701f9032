using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace GrowthBrain.Tests.Sequences;

/// <summary>
/// A loopback IMAP server with just enough of RFC 3501 for MailKit's ImapClient: greeting, CAPABILITY, LOGIN,
/// LIST, EXAMINE/SELECT, UID SEARCH (ALL and UID ranges), UID FETCH BODY.PEEK[] and LOGOUT, on one folder.
/// Plain text only (no STARTTLS advertised), so the client stays unencrypted on loopback.
/// </summary>
public sealed partial class ImapTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentQueue<(uint Uid, byte[] Raw)> _messages = new();
    private uint _nextUid = 1;

    public const string User = "inbox@northwind.example";
    public const string Password = "imap-password";
    public const uint UidValidity = 7;

    public ImapTestServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Commands as received, for asserting the client never changes the mailbox.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    public uint Deliver(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        var uid = _nextUid++;
        _messages.Enqueue((uid, buffer.ToArray()));
        return uid;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        async Task Send(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
        try
        {
            await Send("* OK [CAPABILITY IMAP4rev1] GrowthBrain test IMAP ready\r\n");
            var authenticated = false;
            while (await ReadLineAsync(stream) is { } line)
            {
                Commands.Enqueue(line.StartsWith("A", StringComparison.Ordinal) && line.Contains("LOGIN", StringComparison.OrdinalIgnoreCase) ? "LOGIN ***" : line);
                var space = line.IndexOf(' ');
                if (space < 0) continue;
                var tag = line[..space];
                var rest = line[(space + 1)..];
                var verb = rest.Split(' ')[0].ToUpperInvariant();
                if (verb == "UID") verb = "UID " + rest.Split(' ')[1].ToUpperInvariant();
                var all = _messages.ToArray();
                switch (verb)
                {
                    case "CAPABILITY":
                        await Send($"* CAPABILITY IMAP4rev1\r\n{tag} OK CAPABILITY completed\r\n");
                        break;
                    case "LOGIN":
                        var ok = rest.Contains($"\"{User}\"", StringComparison.Ordinal) || rest.Contains($" {User} ", StringComparison.Ordinal);
                        ok &= rest.Contains(Password, StringComparison.Ordinal);
                        authenticated = ok;
                        await Send(ok ? $"{tag} OK [CAPABILITY IMAP4rev1] LOGIN completed\r\n" : $"{tag} NO [AUTHENTICATIONFAILED] wrong user or password\r\n");
                        break;
                    case "LIST":
                        await Send(rest.EndsWith("\"\" \"\"", StringComparison.Ordinal)
                            ? $"* LIST (\\Noselect) \"/\" \"\"\r\n{tag} OK LIST completed\r\n"
                            : $"* LIST (\\HasNoChildren) \"/\" INBOX\r\n{tag} OK LIST completed\r\n");
                        break;
                    case "EXAMINE" or "SELECT" when authenticated:
                        await Send($"* FLAGS (\\Seen)\r\n* {all.Length} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY {UidValidity}] UIDs valid\r\n" +
                                   $"* OK [UIDNEXT {_nextUid}] next UID\r\n{tag} OK [READ-ONLY] {verb} completed\r\n");
                        break;
                    case "UID SEARCH" when authenticated:
                        var found = Select(rest, all).Select(m => m.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        await Send($"* SEARCH {string.Join(' ', found)}".TrimEnd() + $"\r\n{tag} OK SEARCH completed\r\n");
                        break;
                    case "UID FETCH" when authenticated:
                        foreach (var (m, i) in Select(rest, all).Select((m, i) => (m, i)))
                        {
                            var seq = Array.FindIndex(all, x => x.Uid == m.Uid) + 1;
                            await Send($"* {seq} FETCH (UID {m.Uid} BODY[] {{{m.Raw.Length}}}\r\n");
                            await stream.WriteAsync(m.Raw, _stop.Token);
                            await Send(")\r\n");
                        }
                        await Send($"{tag} OK FETCH completed\r\n");
                        break;
                    case "LOGOUT":
                        await Send($"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n");
                        return;
                    case "NOOP" or "CHECK" or "CLOSE":
                        await Send($"{tag} OK {verb} completed\r\n");
                        break;
                    default:
                        await Send($"{tag} BAD {verb} is not supported by this test server\r\n");
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The messages a UID set names ("UID 3:*", "3", "1,4:6") or all of them for ALL.</summary>
    private static IEnumerable<(uint Uid, byte[] Raw)> Select(string command, (uint Uid, byte[] Raw)[] all)
    {
        var set = UidSet().Match(command);
        if (!set.Success) return command.Contains(" ALL", StringComparison.OrdinalIgnoreCase) ? all : [];
        var max = all.Length == 0 ? 0u : all.Max(m => m.Uid);
        var ranges = new List<(uint Low, uint High)>();
        foreach (var part in set.Groups["set"].Value.Split(','))
        {
            var ends = part.Split(':');
            uint Parse(string s) => s == "*" ? max : uint.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
            var (a, b) = (Parse(ends[0]), Parse(ends[^1]));
            // RFC 3501: n:* includes the highest UID even when it is below n.
            ranges.Add((Math.Min(a, b), Math.Max(a, b)));
        }
        return all.Where(m => ranges.Any(r => m.Uid >= r.Low && m.Uid <= r.High));
    }

    [GeneratedRegex(@"UID (?:SEARCH |FETCH )?(?:UID )?(?<set>[0-9*][0-9*:,]*)", RegexOptions.IgnoreCase)]
    private static partial Regex UidSet();

    private static async Task<string?> ReadLineAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return bytes.Count == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
            if (one[0] == '\n') return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
