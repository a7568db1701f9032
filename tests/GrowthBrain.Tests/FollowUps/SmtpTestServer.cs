using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>A real SMTP server (the SmtpServer package) on a loopback port, keeping every message it accepts.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Store _store;

    public SmtpTestServer()
    {
        Port = FreePort();
        _store = new Store(this);
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<Received> Messages { get; } = new();

    /// <summary>Called when a message is stored, before the server answers "250 OK" (the crash test stops the app here).</summary>
    public Action<Received>? OnMessage { get; set; }

    public sealed record Received(IReadOnlyList<string> Recipients, string From, MimeMessage Message);

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (mail is handed over asynchronously).</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Messages.Count < count && DateTime.UtcNow < until) await Task.Delay(20);
        Messages.Count.ShouldBeGreaterThanOrEqualTo(count, $"the SMTP server received {Messages.Count} messages, expected {count}");
        return Messages.ToList();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, ct);
            var received = new Received(
                transaction.To.Select(m => $"{m.User}@{m.Host}").ToList(), $"{transaction.From.User}@{transaction.From.Host}", message);
            owner.Messages.Enqueue(received);
            owner.OnMessage?.Invoke(received);
            return SmtpResponse.Ok;
        }
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }
}
