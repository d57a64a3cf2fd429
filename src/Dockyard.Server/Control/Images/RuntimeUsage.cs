using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;
using Dockyard.Control.Services;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Images;

/// <summary>
/// The registry ↔ runtime link: which manifest digests of Dockyard's registry are in use, and by what. A running
/// container's image id is its config digest, so it is mapped to manifest digests through that image's
/// <c>RepoDigests</c> that point at this registry (<see cref="RegistryAddress"/>), plus the digest of a container
/// created from <c>repo@sha256:…</c>; Swarm services through the spec image a manager reports
/// (<c>repo:tag@sha256:…</c>). Every reachable engine is asked at once; the answer is reused for
/// <see cref="ControlOptions.UsageCacheTime"/> so repository pages do not fan out to engines on every request.
/// Deletions (garbage collection, retention) ask for a fresh one (<see cref="GetFreshAsync"/>), which probes the
/// engines first.
/// </summary>
internal sealed partial class RuntimeUsage(
    EngineRegistry registry,
    RegistryAddress address,
    IOptions<ControlOptions> options,
    TimeProvider time,
    ILogger<RuntimeUsage> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RuntimeUsageSnapshot? _last;

    /// <summary>The usage, at most <see cref="ControlOptions.UsageCacheTime"/> old.</summary>
    public async Task<RuntimeUsageSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_last is { } cached && time.GetUtcNow() - cached.TakenAt < options.Value.UsageCacheTime)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } again && time.GetUtcNow() - again.TakenAt < options.Value.UsageCacheTime)
            {
                return again;
            }

            await registry.EnsureLoadedAsync(cancellationToken);
            return _last = await CollectAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The usage now: every engine probed, then asked. For decisions that delete content.</summary>
    public async Task<RuntimeUsageSnapshot> GetFreshAsync(CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        await registry.RefreshAllAsync(cancellationToken);
        var snapshot = await CollectAsync(cancellationToken);
        _last = snapshot;
        return snapshot;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<RuntimeUsageSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var engines = registry.List();
        if (engines.Count == 0)
        {
            return RuntimeUsageSnapshot.Empty(now);
        }

        var unknown = new List<string>();
        if (address.Value is null)
        {
            unknown.Add("the registry address is not known yet");
            return new RuntimeUsageSnapshot(new Dictionary<string, IReadOnlyList<RuntimeUser>>(), unknown, now);
        }

        var reachable = registry.Reachable();
        unknown.AddRange(engines.Where(e => reachable.All(r => r.Name != e.Definition.Name))
            .Select(e => $"engine {e.Definition.Name} is {e.Status.State}" + (e.Status.Message is { Length: > 0 } message ? ": " + message : string.Empty)));

        var tasks = reachable.Select(engine => ContainersOfAsync(engine, cancellationToken)).ToList();
        var services = ServicesAsync(reachable, cancellationToken);
        var users = new List<(string Digest, RuntimeUser User)>();
        foreach (var (found, failure) in await Task.WhenAll(tasks))
        {
            users.AddRange(found);
            if (failure is not null)
            {
                unknown.Add(failure);
            }
        }

        var (serviceUsers, serviceFailure) = await services;
        users.AddRange(serviceUsers);
        if (serviceFailure is not null)
        {
            unknown.Add(serviceFailure);
        }

        var byDigest = users.GroupBy(u => u.Digest, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<RuntimeUser>)[.. g.Select(u => u.User).Distinct()], StringComparer.Ordinal);
        if (unknown.Count > 0)
        {
            LogIncomplete(string.Join("; ", unknown));
        }

        return new RuntimeUsageSnapshot(byDigest, unknown, now);
    }

    private async Task<(List<(string, RuntimeUser)> Users, string? Failure)> ContainersOfAsync(ReachableEngine engine, CancellationToken cancellationToken)
    {
        var users = new List<(string, RuntimeUser)>();
        try
        {
            var containers = await new ContainerClient(engine.Client).ListAsync(new ContainerListOptions(), cancellationToken);
            var images = await new ImageClient(engine.Client).ListAsync(false, null, cancellationToken);
            var digestsOf = images.ToDictionary(i => i.Id, i => i.RepoDigests ?? [], StringComparer.Ordinal);
            foreach (var container in containers)
            {
                var name = container.Names.FirstOrDefault()?.TrimStart('/') ?? container.Id[..Math.Min(12, container.Id.Length)];
                IEnumerable<string> references = digestsOf.TryGetValue(container.ImageId, out var repoDigests) ? repoDigests : [];
                foreach (var reference in references.Append(container.Image))
                {
                    if (address.TryDigestOf(reference, out var repository, out var digest))
                    {
                        users.Add((digest.Value, new RuntimeUser(RuntimeUser.Container, container.Id, name, repository.Value, engine.Name, engine.NodeId)));
                    }
                }
            }

            return (users, null);
        }
        catch (EngineApiException error)
        {
            return (users, $"engine {engine.Name} could not list what it runs: {error.Message}");
        }
        catch (ObjectDisposedException)
        {
            return (users, $"engine {engine.Name} was removed while it was asked");
        }
    }

    private async Task<(List<(string, RuntimeUser)> Users, string? Failure)> ServicesAsync(IReadOnlyList<ReachableEngine> reachable, CancellationToken cancellationToken)
    {
        var users = new List<(string, RuntimeUser)>();
        if (reachable.FirstOrDefault(e => e.IsManager) is not { } manager)
        {
            // Engines outside a swarm have no services; a swarm whose managers are all out of reach may have some.
            return (users, reachable.Any(e => e.NodeId is not null) || registry.List().Count > reachable.Count
                ? "no swarm manager is reachable, so the services are unknown"
                : null);
        }

        try
        {
            foreach (var service in await new ServiceClient(manager.Client).ListAsync(null, cancellationToken))
            {
                if (address.TryDigestOf(service.Image, out var repository, out var digest))
                {
                    users.Add((digest.Value, new RuntimeUser(RuntimeUser.Service, service.Id, service.Name, repository.Value, null, null)));
                }
            }

            return (users, null);
        }
        catch (EngineApiException error)
        {
            return (users, $"the services could not be listed through engine {manager.Name}: {error.Message}");
        }
        catch (ObjectDisposedException)
        {
            return (users, $"engine {manager.Name} was removed while it was asked");
        }
    }

    [LoggerMessage(EventId = 4550, Level = LogLevel.Warning, Message = "Runtime usage is incomplete: {Unknown}")]
    private partial void LogIncomplete(string unknown);
}
