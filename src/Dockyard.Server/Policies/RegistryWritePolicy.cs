using System.Collections.Concurrent;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Policies;

namespace Dockyard.Server.Policies;

/// <summary>
/// The registry's write policy from the database's rules: tag immutability and organization storage quotas. Both
/// answer from <see cref="PolicyCache"/>; only a push into an organization with a quota queries its usage.
/// </summary>
/// <remarks>
/// Quota admissions into one organization are serialized in this process (the lease is held until the link is
/// committed), so concurrent pushes through one replica can never together exceed the quota. Across N replicas each
/// decides alone: the overshoot is bounded by what the other replicas admit concurrently (at most N-1 blobs or
/// manifests in flight at the moment of the check).
/// </remarks>
internal sealed class RegistryWritePolicy(PolicyCache cache, StorageUsage usage) : IRegistryWritePolicy, IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _quotaLocks = new(StringComparer.Ordinal);

    public async ValueTask<RegistryException?> CheckTagChangeAsync(RepositoryName repository, string tag, TagChange change, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        return snapshot.FindImmutability(repository, tag) is { } rule ? Immutable(repository, tag, change, rule) : null;
    }

    public async ValueTask<IDisposable?> AdmitContentAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        var organization = repository.Namespace;
        var snapshot = await cache.GetAsync(cancellationToken);
        if (snapshot.QuotaOf(organization) is not { } limit)
        {
            return null;
        }

        var gate = _quotaLocks.GetOrAdd(organization, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!await usage.HoldsAsync(organization, digest.Value, cancellationToken))
            {
                var used = await usage.UsedBytesAsync(organization, cancellationToken);
                if (used + size > limit)
                {
                    throw QuotaExceeded(organization, limit, used, size);
                }
            }

            return new Lease(gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var gate in _quotaLocks.Values)
        {
            gate.Dispose();
        }
    }

    internal static RegistryException Immutable(RepositoryName repository, string tag, TagChange change, ImmutabilityRule rule)
    {
        var advice = change == TagChange.Overwrite ? "push a new tag instead" : "it cannot be deleted while the rule exists";
        return new RegistryException(
            RegistryErrorCode.Denied,
            $"tag \"{tag}\" in \"{repository.Value}\" is immutable (rule \"{rule.TagPattern}\" on {rule.Scope.Describe()}); {advice}",
            new { repository = repository.Value, tag, rule = rule.TagPattern, ruleId = rule.Id });
    }

    internal static RegistryException QuotaExceeded(string organization, long limit, long used, long size) => new(
        RegistryErrorCode.Denied,
        $"organization \"{organization}\" storage quota exceeded: {ByteSize.Format(used)} used of {ByteSize.Format(limit)}; this push needs {ByteSize.Format(size)} more",
        new { organization, quotaBytes = limit, usedBytes = used, requiredBytes = size });

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
