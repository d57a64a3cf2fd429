using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>
/// A "directory" on loopback that accepts TCP connections and never says a word: what a hung or overloaded LDAP
/// server looks like to a client. Connections are held open until disposal and counted.
/// </summary>
internal sealed class SilentLdapListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _acceptedCount;

    public SilentLdapListener()
    {
        _listener.Start(backlog: 256);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"ldap://127.0.0.1:{Port}");

    public string SecureUrl => string.Create(CultureInfo.InvariantCulture, $"ldaps://127.0.0.1:{Port}");

    /// <summary>Connections accepted so far: zero means nobody asked the directory anything.</summary>
    public int AcceptedConnections => Volatile.Read(ref _acceptedCount);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }

            _accepted.Clear();
        }

        _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _acceptedCount);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }
}
