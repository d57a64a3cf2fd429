using System.Threading.Channels;
using Dockyard.Control.Engines;
using Dockyard.Control.SystemInfo;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control;

/// <summary>
/// Every engine Dockyard talks to — from configuration and from the <c>engines</c> table — with one
/// <see cref="EngineClient"/> each (disposed when the engine goes) and its last status. <see cref="EngineStatusRefresher"/>
/// re-reads the table and probes every engine each <see cref="ControlOptions.RefreshInterval"/> and on request; a probe
/// is bounded by <see cref="ControlOptions.ProbeTimeout"/>, so an unreachable engine never holds a request longer.
/// Operations on a container go to the engine of the node it runs on (<see cref="GetForNode"/>); swarm-wide ones to a
/// reachable manager (<see cref="GetManager"/>).
/// </summary>
internal sealed partial class EngineRegistry(
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILogger<EngineRegistry> logger) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Channel<bool> _refreshRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile IReadOnlyDictionary<string, EngineSlot> _slots = new Dictionary<string, EngineSlot>(StringComparer.Ordinal);
    private bool _loaded;

    /// <summary>All engines, configured first, then by name.</summary>
    public IReadOnlyList<EngineSnapshot> List() =>
        [.. _slots.Values.OrderByDescending(s => s.Definition.IsConfigured).ThenBy(s => s.Definition.Name, StringComparer.Ordinal).Select(s => s.Snapshot())];

    public EngineSnapshot? Find(string name) => _slots.TryGetValue(name, out var slot) ? slot.Snapshot() : null;

    /// <summary>The client of the reachable engine whose Swarm node id is <paramref name="nodeId"/>, or null.</summary>
    public EngineClient? GetForNode(string nodeId) =>
        _slots.Values.FirstOrDefault(s => s.Client is not null && s.Status.State == EngineState.Reachable && s.Status.NodeId == nodeId)?.Client;

    /// <summary>The client of a reachable swarm manager (the first by name), or null.</summary>
    public EngineClient? GetManager() =>
        _slots.Values.Where(s => s.Client is not null && s.Status is { State: EngineState.Reachable, IsManager: true })
            .OrderBy(s => s.Definition.Name, StringComparer.Ordinal).FirstOrDefault()?.Client;

    /// <summary>Every engine that answered its last probe, by name.</summary>
    public IReadOnlyList<ReachableEngine> Reachable() =>
        [.. _slots.Values.Where(s => s.Client is not null && s.Status.State == EngineState.Reachable)
            .OrderBy(s => s.Definition.Name, StringComparer.Ordinal)
            .Select(s => new ReachableEngine(s.Definition.Name, s.Client!, s.Status.NodeId, s.Status.IsManager))];

    /// <summary>Asks the refresher to re-read and probe now (coalesced with a pending request).</summary>
    public void RequestRefresh() => _refreshRequests.Writer.TryWrite(true);

    /// <summary>Waits for <paramref name="interval"/> or a <see cref="RequestRefresh"/>, whichever comes first.</summary>
    public async Task WaitForRefreshAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, stop.Token);
        var request = _refreshRequests.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(delay, request);
        await stop.CancelAsync();
        _refreshRequests.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Loads the engine list once (configuration and table) if it has not been loaded yet, and probes the engines
    /// never probed (just started, just added), each bounded by the probe timeout: a request right after start-up must
    /// not find "no engine reachable" only because the refresher's first probe has not finished.
    /// </summary>
    public async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _loaded))
        {
            await ReloadAsync(cancellationToken);
        }

        var unprobed = _slots.Values.Where(s => s.Status.State == EngineState.Unknown).ToList();
        if (unprobed.Count > 0)
        {
            await Task.WhenAll(unprobed.Select(slot => ProbeAsync(slot, cancellationToken)));
        }
    }

    /// <summary>
    /// Re-reads the configured engines and the <c>engines</c> table: new engines get a client (status unknown until
    /// probed), removed or changed ones have theirs disposed. A configured name hides a stored engine of that name.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        // Read and swap under one lock: a reload that read the table earlier must not swap in after a later one.
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var wanted = new Dictionary<string, EngineDefinition>(StringComparer.Ordinal);
            foreach (var configured in options.Value.Engines)
            {
                var definition = EngineRules.Validate(configured.Name, configured.Endpoint, configured.CaFile, configured.CertFile, configured.KeyFile) with { IsConfigured = true };
                wanted[definition.Name] = definition;
            }

            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                foreach (var row in await db.Engines.AsNoTracking().ToListAsync(cancellationToken))
                {
                    if (!wanted.ContainsKey(row.Name))
                    {
                        wanted[row.Name] = FromRow(row);
                    }
                }
            }

            var current = _slots;
            var next = new Dictionary<string, EngineSlot>(StringComparer.Ordinal);
            foreach (var (name, definition) in wanted)
            {
                next[name] = current.TryGetValue(name, out var slot) && slot.Definition == definition ? slot : Open(definition);
            }

            _slots = next;
            Volatile.Write(ref _loaded, true);
            foreach (var (name, slot) in current)
            {
                if (!next.TryGetValue(name, out var kept) || !ReferenceEquals(kept, slot))
                {
                    // Calls in flight on it fail; new ones already get the new slot.
                    slot.Client?.Dispose();
                }
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Probes every engine at once; each probe is bounded by the probe timeout.</summary>
    public Task RefreshAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_slots.Values.Select(slot => ProbeAsync(slot, cancellationToken)));

    /// <summary>Probes one engine now and returns it with the new status; null when there is no such engine.</summary>
    public async Task<EngineSnapshot?> RefreshAsync(string name, CancellationToken cancellationToken)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            return null;
        }

        await ProbeAsync(slot, cancellationToken);
        return slot.Snapshot();
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Client?.Dispose();
        }

        _reload.Dispose();
    }

    private static EngineDefinition FromRow(Data.Entities.EngineEntity row)
    {
        var tls = row.CaFile is not null && row.CertFile is not null && row.KeyFile is not null ? new EngineTls(row.CaFile, row.CertFile, row.KeyFile) : null;
        return new EngineDefinition { Name = row.Name, Endpoint = new Uri(row.Endpoint), Tls = tls, CreatedAt = row.CreatedAt, CreatedBy = row.CreatedBy };
    }

    private EngineSlot Open(EngineDefinition definition)
    {
        try
        {
            return new EngineSlot(definition, new EngineClient(definition.ToEndpoint()), null);
        }
        catch (Exception error) when (error is ArgumentException or IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            // A stored engine whose TLS files are gone or unreadable stays listed, unreachable, with the reason.
            LogClientFailed(definition.Name, error.Message);
            return new EngineSlot(definition, null, error.Message);
        }
    }

    private async Task ProbeAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        var checkedAt = time.GetUtcNow();
        if (slot.Client is not { } client)
        {
            slot.Status = new EngineStatus { State = EngineState.Unreachable, Message = $"engine {slot.Definition.Name}: {slot.ClientError}", CheckedAt = checkedAt };
            return;
        }

        using var timeout = new CancellationTokenSource(options.Value.ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        EngineStatus status;
        try
        {
            var system = new SystemClient(client);
            await client.PingAsync(linked.Token);
            var info = await system.GetInfoAsync(linked.Token);
            var version = await system.GetVersionAsync(linked.Token);
            status = new EngineStatus { State = EngineState.Reachable, CheckedAt = checkedAt, Info = info, Version = version };
        }
        catch (EngineApiException error)
        {
            status = new EngineStatus { State = EngineState.Unreachable, Message = error.Message, CheckedAt = checkedAt };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            status = new EngineStatus
            {
                State = EngineState.Unreachable,
                Message = $"engine {slot.Definition.Name}: did not answer within {options.Value.ProbeTimeout.TotalSeconds:0.#} s",
                CheckedAt = checkedAt,
            };
        }
        catch (ObjectDisposedException)
        {
            // Removed while probing: its slot is gone, nobody reads this status.
            return;
        }

        if (slot.Status.State != status.State)
        {
            LogStateChanged(slot.Definition.Name, status.State, status.Message);
        }

        slot.Status = status;
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Engine {Engine} is now {State} {Message}")]
    private partial void LogStateChanged(string engine, EngineState state, string? message);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Engine {Engine} has no client: {Reason}")]
    private partial void LogClientFailed(string engine, string reason);
}
