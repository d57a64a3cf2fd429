using System.Net.Sockets;
using System.Text;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Hosting;

/// <summary>
/// The <c>sd_notify</c> protocol for <c>Type=notify</c> units: when systemd sets <c>NOTIFY_SOCKET</c>, Dockyard sends
/// <c>READY=1</c> once the server listens (the database initializer is a hosted service, so it has finished by then)
/// and <c>STOPPING=1</c> when shutdown begins. Without the variable it does nothing. A datagram per message to a unix
/// socket; a name starting with <c>@</c> is in the abstract namespace.
/// </summary>
internal sealed partial class SystemdNotifier(IHostApplicationLifetime lifetime, ILogger<SystemdNotifier> logger) : IHostedService
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    private readonly string? _socket = Environment.GetEnvironmentVariable(SocketVariable) is { Length: > 0 } s ? s : null;
    private readonly List<CancellationTokenRegistration> _registrations = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            _registrations.Add(lifetime.ApplicationStarted.Register(() => Notify($"READY=1\nSTATUS=Dockyard {BuildInfo.Current.Version} is serving\nMAINPID={Environment.ProcessId}")));
            _registrations.Add(lifetime.ApplicationStopping.Register(() => Notify("STOPPING=1\nSTATUS=Dockyard is stopping")));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Sends <paramref name="state"/> (newline-separated assignments) to <c>NOTIFY_SOCKET</c>; failures are logged, never thrown.</summary>
    public void Notify(string state)
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            Send(_socket, state);
        }
        catch (SocketException e)
        {
            LogNotifyFailed(_socket, e.Message);
        }
    }

    /// <summary>One datagram to <paramref name="socket"/> (a path, or <c>@name</c> in the abstract namespace).</summary>
    public static void Send(string socket, string state)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(socket[0] == '@' ? "\0" + socket[1..] : socket));
        client.Send(Encoding.UTF8.GetBytes(state));
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Could not notify systemd through {Socket}: {Reason}")]
    private partial void LogNotifyFailed(string socket, string reason);
}
