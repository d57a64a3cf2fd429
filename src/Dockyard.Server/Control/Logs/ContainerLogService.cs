using Dockyard.Control.Engines;
using Dockyard.Control.Logs;
using Dockyard.Server.Access;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// Container logs for one caller: finds the engine that runs the container (<see cref="ContainerLocator"/>) and
/// decides <see cref="Operation.ContainerLogs"/> in its collection (not visible: 404; visible but refused: 403).
/// Reads are not audited. The lines are read from that engine only when the caller enumerates them.
/// </summary>
internal sealed class ContainerLogService(ContainerLocator locator, CollectionDecisions decisions)
{
    /// <summary>
    /// The longest line a live view receives, in UTF-8 bytes; the rest of a longer line is dropped and the line is
    /// marked <c>truncated</c>. Downloads and plain text keep every byte.
    /// </summary>
    public const int MaxViewLineBytes = 8 * 1024;

    /// <summary>The container's log as <paramref name="principal"/> may read it, or a <see cref="Errors.DomainException"/>.</summary>
    public async Task<ContainerLogSource> OpenAsync(Principal principal, string reference, ContainerLogQuery query, CancellationToken cancellationToken)
    {
        var target = await locator.FindAsync(reference, cancellationToken);
        await decisions.RequireAsync(
            principal, Operation.ContainerLogs, Operation.ContainerView, ResourceKind.Container, target.Collection, target.Description, cancellationToken);
        var options = new LogOptions
        {
            Stdout = query.Stdout,
            Stderr = query.Stderr,
            Follow = query.Follow,
            Tail = query.Tail,
            Since = query.Since,
            Until = query.Until,
            Timestamps = query.Timestamps,
            Tty = target.Details.Config.Tty,
            MaxLineBytes = query.Download ? LogOptions.DefaultMaxLineBytes : MaxViewLineBytes,
        };
        return new ContainerLogSource(target, query, options);
    }

    /// <summary>
    /// Why a log stream ended: a followed stream ends when the container stops (asked of the engine now), any other
    /// when the engine has sent everything asked for.
    /// </summary>
    public static async Task<LogStreamEnd> EndOfAsync(ContainerLogSource source, CancellationToken cancellationToken)
    {
        if (!source.Query.Follow)
        {
            return LogStreamEnd.Complete;
        }

        try
        {
            var state = (await source.Target.Client.InspectAsync(source.Target.Id, cancellationToken)).State;
            return state.Running ? LogStreamEnd.Complete : LogStreamEnd.Stopped(state.Status, state.ExitCode);
        }
        catch (EngineApiException error) when (error.Kind == EngineErrorKind.NotFound)
        {
            return LogStreamEnd.Removed;
        }
    }
}
