using Dockyard.Server.Access;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Containers;
using Dockyard.Server.Control.Streaming;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// Container stats for one caller: finds the engine that runs the container, decides
/// <see cref="Operation.ContainerView"/> in its collection (stats are visible to whoever sees the container; not
/// visible: 404), and subscribes to the one engine stream of <see cref="ContainerStatsHub"/>. Reads are not audited.
/// </summary>
internal sealed class ContainerStatsService(ContainerLocator locator, CollectionDecisions decisions, ContainerStatsHub hub)
{
    /// <summary>How long <see cref="GetSampleAsync"/> waits for a sample with a CPU figure.</summary>
    public static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The authorized container and a subscription to its stats (dispose it), or null for a container that is not
    /// running (it has no stats). Refusals are <see cref="DomainException"/>s.
    /// </summary>
    public async Task<(ContainerTarget Target, LatestOnlySubscription<ContainerStatsView, StatsEnd>? Subscription)> SubscribeAsync(
        Principal principal, string reference, CancellationToken cancellationToken)
    {
        var target = await locator.FindAsync(reference, cancellationToken);
        await decisions.RequireAsync(
            principal, Operation.ContainerView, Operation.ContainerView, ResourceKind.Container, target.Collection, target.Description, cancellationToken);
        return (target, target.Details.State.Running ? hub.Subscribe(target) : null);
    }

    /// <summary>
    /// One sample: the first from the shared stream that has a CPU figure (the engine's first sample has none), or
    /// the last one seen when <see cref="SampleTimeout"/> passes. 409 for a container that is not running.
    /// </summary>
    public async Task<ContainerStatsView> GetSampleAsync(Principal principal, string reference, CancellationToken cancellationToken)
    {
        var (target, subscription) = await SubscribeAsync(principal, reference, cancellationToken);
        if (subscription is null)
        {
            throw NotRunning(target);
        }

        using (subscription)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SampleTimeout);
            ContainerStatsView? last = null;
            try
            {
                await foreach (var sample in subscription.Samples.ReadAllAsync(timeout.Token))
                {
                    last = sample;
                    if (sample.CpuPercent is not null)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out: answer with what there is.
            }

            return last ?? throw (subscription.End is { Reason: "error" } end
                ? DomainException.Unavailable($"Stats of {target.Description}: {end.Message}")
                : NotRunning(target));
        }
    }

    private static DomainException NotRunning(ContainerTarget target) =>
        DomainException.Conflict($"{char.ToUpperInvariant(target.Description[0])}{target.Description[1..]} is not running: it has no stats.");
}
