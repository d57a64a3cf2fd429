using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// A syslog receiver on a loopback port: TCP (RFC 6587 octet counting) or, with a certificate, TLS (RFC 5425). It can be
/// stopped — listener and connections closed, as a restarting rsyslog does — and started again on the same port.
/// </summary>
internal sealed class SyslogTestReceiver : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly List<TcpClient> _connectionList = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    private SyslogTestReceiver(int port, X509Certificate2? certificate)
    {
        Port = port;
        _certificate = certificate;
    }

    public int Port { get; }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    private int _connections;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static SyslogTestReceiver Start(X509Certificate2? certificate = null)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new SyslogTestReceiver(port, certificate);
        receiver.Listen();
        return receiver;
    }

    public void Listen()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Closes the listener and every connection.</summary>
    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener!.Stop();
        lock (_connectionList)
        {
            foreach (var connection in _connectionList)
            {
                connection.Dispose();
            }

            _connectionList.Clear();
        }

        try
        {
            await _accepting!;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _stop = null;
    }

    /// <summary>Waits until a message containing <paramref name="fragment"/> arrived; returns every message so far.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string fragment, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Messages.Any(m => m.Contains(fragment, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No syslog message containing '{fragment}' within the timeout; received:\n{string.Join('\n', Messages)}");
            }

            await Task.Delay(50);
        }

        return Messages;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var readers = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                Interlocked.Increment(ref _connections);
                lock (_connectionList)
                {
                    _connectionList.Add(client);
                }

                readers.Add(ReadAsync(client, cancellationToken));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        await Task.WhenAll(readers);
    }

    private async Task ReadAsync(TcpClient client, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, cancellationToken);
                }
                catch (Exception error) when (error is IOException or System.Security.Authentication.AuthenticationException)
                {
                    return;
                }

                stream = tls;
            }

            while (true)
            {
                _messages.Enqueue(await ReadFrameAsync(stream, cancellationToken));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or ObjectDisposedException or EndOfStreamException or SocketException)
        {
            // connection closed
        }
    }

    /// <summary>RFC 6587 octet counting: ASCII length, a space, that many bytes.</summary>
    private static async Task<string> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == ' ')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var frame = new byte[length];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return Encoding.UTF8.GetString(frame);
    }
}
