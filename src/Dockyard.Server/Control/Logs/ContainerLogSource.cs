using Dockyard.Control.Logs;
using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Control.Logs;

/// <summary>An authorized container log, ready to be read from the engine that runs the container.</summary>
/// <param name="Target">The container and its engine.</param>
/// <param name="Query">What the caller asked for.</param>
/// <param name="Options">The engine request (the container's TTY setting is known, so no second inspect).</param>
internal sealed record ContainerLogSource(ContainerTarget Target, ContainerLogQuery Query, LogOptions Options)
{
    /// <summary>
    /// The lines, streamed from the engine; cancelling <paramref name="cancellationToken"/> or disposing the
    /// enumerator closes the engine connection.
    /// </summary>
    public IAsyncEnumerable<LogLine> ReadAsync(CancellationToken cancellationToken) =>
        new LogsClient(Target.Engine.Client).ReadContainerLogsAsync(Target.Id, Options, cancellationToken);
}
