using System.Runtime.InteropServices;

namespace Dockyard.Server.Cli;

/// <summary>
/// How <c>dockyard serve</c> stops. SIGTERM (systemd, <c>docker stop</c>), SIGINT (Ctrl+C) and SIGQUIT ask for a
/// graceful stop whenever they arrive, and the process then exits 0. It replaces the host's ConsoleLifetime, which
/// listens only from the start of <c>StartAsync</c> (a signal before that killed the process) and turns a signal during
/// start-up into a cancelled start: "Hosting failed to start" with a TaskCanceledException, exit code 1. Here a stop
/// asked for during start-up waits until the start has finished and is then carried out like any other.
/// </summary>
/// <remarks>Created before the app is built, so the handlers cover the whole start; disposed when <c>serve</c> returns.</remarks>
internal sealed partial class ServeLifetime : IHostLifetime, IDisposable
{
    private readonly Lock _gate = new();
    private readonly PosixSignalRegistration[] _registrations;
    private IHostApplicationLifetime? _application;
    private ILogger? _logger;
    private bool _started;
    private string? _stopReason;

    public ServeLifetime()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    /// <summary>Connects to the built app: a stop requested so far is carried out once it has started.</summary>
    public void Attach(IHostApplicationLifetime application, ILogger logger)
    {
        lock (_gate)
        {
            _application = application;
            _logger = logger;
            if (_stopReason is { } early)
            {
                LogStopDeferred(logger, early);
            }
        }

        application.ApplicationStarted.Register(OnStarted);
        application.ApplicationStopping.Register(() => LogStopping(logger, _stopReason ?? "requested by the server"));
    }

    /// <summary>Asks for a graceful stop (a signal, or the command line's cancellation).</summary>
    public void RequestStop(string reason)
    {
        IHostApplicationLifetime? stopNow = null;
        lock (_gate)
        {
            if (_stopReason is not null)
            {
                return;
            }

            _stopReason = reason;
            if (_started)
            {
                stopNow = _application;
            }
            else if (_logger is { } logger)
            {
                LogStopDeferred(logger, reason);
            }
        }

        stopNow?.StopApplication();
    }

    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the runtime's default would end the process at once.
        context.Cancel = true;
        RequestStop(context.Signal.ToString());
    }

    private void OnStarted()
    {
        IHostApplicationLifetime? stopNow;
        lock (_gate)
        {
            _started = true;
            stopNow = _stopReason is null ? null : _application;
        }

        // Not inline: this runs inside the host's "started" notification.
        if (stopNow is not null)
        {
            _ = Task.Run(stopNow.StopApplication);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Application is shutting down: {Reason}")]
    private static partial void LogStopping(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Reason} received during start-up; stopping as soon as the start has finished")]
    private static partial void LogStopDeferred(ILogger logger, string reason);
}
