using Dockyard.Control.Engines;
using Dockyard.Control.Events;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Consumes one engine's event stream while this replica holds its lease. Each connection first catches up: it replays
/// the engine's events since the last checkpoint (the last stored event of the engine), then — because dockerd keeps
/// only its last 256 events — lists every container (and, on a manager, every service and node) and records a
/// reconciled event for each difference from the state it knew, then follows the live stream. A checkpoint (state +
/// position) is written behind the queued events every <see cref="CheckpointInterval"/> and when the stream ends.
/// Failures reconnect with a doubling backoff; losing the lease stops reading at once.
/// </summary>
internal sealed partial class EngineEventConsumer(
    string engine,
    EngineRegistry registry,
    EventLeases leases,
    EventWriter writer,
    IOptions<EngineEventsOptions> options,
    TimeProvider time,
    ILogger logger)
{
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(1);
    private readonly ObjectStacks _stacks = new();

    public string Engine => engine;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = MinDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!await leases.TryClaimAsync(engine, stoppingToken))
                    {
                        await Task.Delay(options.Value.LeaseDuration / 3, time, stoppingToken);
                        continue;
                    }

                    if (registry.Reachable().FirstOrDefault(e => e.Name == engine) is not { } target)
                    {
                        await Task.Delay(delay, time, stoppingToken);
                        delay = Next(delay);
                        continue;
                    }

                    using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var renewal = RenewWhileHeldAsync(held);
                    try
                    {
                        if (await ConsumeAsync(target, held.Token, () => delay = MinDelay))
                        {
                            LogStreamEnded(engine);
                        }
                    }
                    finally
                    {
                        await held.CancelAsync();
                        await renewal;
                    }

                    await Task.Delay(delay, time, stoppingToken);
                    delay = Next(delay);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever broke (engine, network, database, a malformed event), the stream must come back: never let the loop die.
                    LogDisconnected(engine, delay.TotalSeconds, error.Message);
                    registry.RequestRefresh();
                    await Task.Delay(delay, time, stoppingToken);
                    delay = Next(delay);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await leases.ReleaseAsync(engine);
        }
    }

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxReconnectDelay.Ticks));

    private async Task RenewWhileHeldAsync(CancellationTokenSource held)
    {
        try
        {
            while (!held.IsCancellationRequested)
            {
                await Task.Delay(options.Value.LeaseDuration / 3, time, held.Token);
                if (!await leases.RenewAsync(engine, held.Token))
                {
                    LogLeaseLost(engine);
                    await held.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException)
        {
            LogLeaseLost(engine);
            await held.CancelAsync();
        }
    }

    /// <summary>One connection: catch up, reconcile, follow. True when the engine ended the stream (e.g. it restarted).</summary>
    private async Task<bool> ConsumeAsync(ReachableEngine target, CancellationToken cancellationToken, Action connected)
    {
        var client = target.Client;
        var events = new EventsClient(client);
        var checkpoint = await leases.LoadAsync(engine, cancellationToken);
        var until = time.GetUtcNow();
        var untilNano = (until - DateTimeOffset.UnixEpoch).Ticks * 100;
        KnownObjects state;
        if (checkpoint is { } last)
        {
            state = last.State.Copy();
            var replay = new EventQuery { Since = DateTimeOffset.UnixEpoch.AddTicks(last.TimeNano / 100), Until = until };
            await foreach (var e in events.StreamAsync(replay, cancellationToken))
            {
                await EnqueueAsync(client, target, state, e, cancellationToken);
            }

            var listing = await EngineListing.ReadAsync(client, target.IsManager, cancellationToken);
            var reconciled = 0;
            foreach (var (action, changed) in KnownState.Reconcile(state, listing))
            {
                await writer.EnqueueAsync(EventRecords.Reconciled(engine, target.NodeId, action, changed, untilNano), cancellationToken);
                reconciled++;
            }

            LogCaughtUp(engine, reconciled);
            state = listing;
        }
        else
        {
            // First consumer ever: the listing is the baseline, nothing before it is known.
            state = await EngineListing.ReadAsync(client, target.IsManager, cancellationToken);
        }

        var position = untilNano;
        if (!await writer.CheckpointAsync(new EventCheckpoint(engine, leases.Holder, position, state.Copy()), cancellationToken))
        {
            return false;
        }

        connected();
        var nextCheckpoint = time.GetUtcNow() + CheckpointInterval;
        try
        {
            await foreach (var e in events.StreamAsync(new EventQuery { Since = until }, cancellationToken))
            {
                await EnqueueAsync(client, target, state, e, cancellationToken);
                position = Math.Max(position, e.TimeNano);
                if (time.GetUtcNow() >= nextCheckpoint)
                {
                    nextCheckpoint = time.GetUtcNow() + CheckpointInterval;
                    if (!await writer.CheckpointAsync(new EventCheckpoint(engine, leases.Holder, position, state.Copy()), cancellationToken))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        finally
        {
            // Where the next connection (ours or another replica's) replays from: the last event queued.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await writer.CheckpointAsync(new EventCheckpoint(engine, leases.Holder, position, state.Copy()), bounded.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task EnqueueAsync(EngineClient client, ReachableEngine target, KnownObjects state, EngineEvent e, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string>? labels = null;
        if (e.Type is "service" or "node")
        {
            // Swarm events carry only the name: the collection label comes from the object (or, once gone, from what we knew).
            var current = e.Action == "remove" ? null
                : e.Type == "service" ? await EngineListing.ServiceAsync(client, e.Actor.Id, cancellationToken)
                : await EngineListing.NodeAsync(client, e.Actor.Id, cancellationToken);
            labels = (current ?? state.Find(e.Type, e.Actor.Id))?.Attributes;
        }

        var stack = ObjectStacks.Applies(e.Type) ? await _stacks.StackOfAsync(client, e, cancellationToken) : null;
        await writer.EnqueueAsync(EventRecords.FromEngine(engine, target.NodeId, e, labels, stack), cancellationToken);
        KnownState.Apply(state, e, labels);
    }

    [LoggerMessage(EventId = 4532, Level = LogLevel.Information, Message = "Engine {Engine}: event stream caught up after a gap, {Reconciled} reconciled events recorded")]
    private partial void LogCaughtUp(string engine, int reconciled);

    [LoggerMessage(EventId = 4533, Level = LogLevel.Warning, Message = "Engine {Engine}: event stream lost, reconnecting in {Delay} s: {Reason}")]
    private partial void LogDisconnected(string engine, double delay, string reason);

    [LoggerMessage(EventId = 4534, Level = LogLevel.Information, Message = "Engine {Engine}: the engine ended its event stream; reconnecting")]
    private partial void LogStreamEnded(string engine);

    [LoggerMessage(EventId = 4535, Level = LogLevel.Warning, Message = "Engine {Engine}: the event lease was lost; another replica consumes its stream")]
    private partial void LogLeaseLost(string engine);
}
