using Dockyard.Registry;
using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Policies;

namespace Dockyard.Server.Policies;

/// <summary>
/// The registry's write policy from the database's rules: tag immutability and organization storage quotas. Both
/// answer from <see cref="PolicyCache"/>; only a push into an organization with a quota queries its usage.
/// </summary>
/// <remarks>
/// Quota admissions into one organization are serialized by the registry's shared lock <c>quota:&lt;org&gt;</c>
/// (<see cref="IRegistryLocks"/>: in-process on one node, a database lease across replicas), held from the usage check
/// until the link or manifest row is committed, so concurrent pushes through any number of replicas can never
/// together exceed the quota. Lock order: an upload completion holds its session lock first; a manifest push takes
/// the tag lock (or the index's advisory locks) only after this one; nothing takes this lock while holding a tag lock.
/// </remarks>
internal sealed class RegistryWritePolicy(PolicyCache cache, StorageUsage usage, IRegistryLocks locks) : IRegistryWritePolicy
{
    public async ValueTask<RegistryException?> CheckTagChangeAsync(RepositoryName repository, string tag, TagChange change, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        return snapshot.FindImmutability(repository, tag) is { } rule ? Immutable(repository, tag, change, rule) : null;
    }

    public async ValueTask<IAsyncDisposable?> AdmitContentAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        var organization = repository.Namespace;
        var snapshot = await cache.GetAsync(cancellationToken);
        if (snapshot.QuotaOf(organization) is not { } limit)
        {
            return null;
        }

        var held = await locks.AcquireAsync(QuotaLockKey(organization), cancellationToken);
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

            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lock every admission into <paramref name="organization"/> holds; its own namespace beside <c>upload:</c> and <c>tag:</c>.</summary>
    private static string QuotaLockKey(string organization) => "quota:" + organization;

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
}
