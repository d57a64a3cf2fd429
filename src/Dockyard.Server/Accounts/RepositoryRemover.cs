using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Deletes a repository: in one transaction its tags, manifests and their references, blob links, grants, webhooks
/// (with their deliveries), immutability rules and retention policy, the repository's row, and one
/// <see cref="ManifestDeleted"/> outbox row per manifest (webhooks of the organization and the audit of registry events
/// see the deletion as they see a manifest delete); the storage links (<c>_manifests</c>, <c>_tags</c>, never the
/// directories of repositories nested under the name) go just before the commit, so a reindex cannot bring it back.
/// Blobs stay: garbage collection reclaims those no other repository references. A tag that an immutability rule
/// protects refuses the whole deletion (409), as deleting that tag alone would. Not authorized or audited here: the
/// callers (<c>RepositoryService</c>, <c>OrganizationService</c>) do that. A later push under the name starts a new
/// repository with its defaults.
/// </summary>
internal sealed class RepositoryRemover(
    IDbContextFactory<DockyardDbContext> contexts,
    IStorageDriver storage,
    IRegistryWritePolicy policy,
    IRegistryOutboxSerializer outbox,
    IRegistryEventSink events,
    TimeProvider time,
    IEnumerable<IRepositoryDeletionObserver> observers)
{
    private readonly IRepositoryDeletionObserver[] _observers = [.. observers];

    /// <summary>Deletes <paramref name="repository"/>; not found when it does not exist, conflict when an immutable tag protects it.</summary>
    public async Task<RepositoryRemoval> RemoveAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var name = repository.Value;
        List<RegistryEvent> deleted;
        int tagCount;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await db.Repositories.AnyAsync(r => r.Name == name, cancellationToken))
            {
                throw DomainException.NotFound($"Repository '{name}' not found.");
            }

            var tags = await db.Tags.Where(t => t.Repository == name).Select(t => t.Name).ToListAsync(cancellationToken);
            foreach (var tag in tags.Order(StringComparer.Ordinal))
            {
                if (await policy.CheckTagChangeAsync(repository, tag, TagChange.Delete, cancellationToken) is { } denied)
                {
                    throw DomainException.Conflict($"Tag '{tag}' of '{name}' cannot be deleted: {denied.Message} Remove the immutability rule first.");
                }
            }

            var digests = await db.Manifests.Where(m => m.Repository == name).Select(m => m.Digest).ToListAsync(cancellationToken);
            var webhooks = db.Webhooks.Where(w => w.Repository == name).Select(w => w.Id);
            await db.WebhookDeliveries.Where(d => webhooks.Contains(d.WebhookId)).ExecuteDeleteAsync(cancellationToken);
            await db.Webhooks.Where(w => w.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.ImmutabilityRules.Where(r => r.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.RetentionPolicies.Where(p => p.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.RepositoryPermissions.Where(p => p.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.Tags.Where(t => t.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.ManifestReferences.Where(r => r.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.Manifests.Where(m => m.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.BlobLinks.Where(l => l.Repository == name).ExecuteDeleteAsync(cancellationToken);
            await db.Repositories.Where(r => r.Name == name).ExecuteDeleteAsync(cancellationToken);

            var now = time.GetUtcNow();
            deleted = [.. digests.Order(StringComparer.Ordinal).Select(d => new ManifestDeleted { Repository = repository, OccurredAt = now, Digest = Digest.Parse(d) })];
            if (deleted.Count > 0)
            {
                // As EfRegistryIndex records its outbox rows: last before the commit, under the outbox lock (PostgreSQL).
                await db.LockAsync(new[] { DatabaseLockKeys.RegistryOutbox }, cancellationToken);
                db.RegistryOutbox.AddRange(deleted.Select(outbox.ToOutboxRow));
                await db.SaveChangesAsync(cancellationToken);
            }

            var root = StoragePaths.Repository(repository);
            await storage.DeleteAsync($"{root}/{StoragePaths.TagLinksDirectory}", cancellationToken);
            await storage.DeleteAsync($"{root}/{StoragePaths.ManifestLinksDirectory}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            tagCount = tags.Count;
        }

        foreach (var observer in _observers)
        {
            observer.RepositoryDeleted(repository);
        }

        foreach (var registryEvent in deleted)
        {
            events.PublishRecorded(registryEvent);
        }

        return new RepositoryRemoval(name, tagCount, deleted.Count);
    }

    /// <summary>The repositories of organization <paramref name="organization"/>'s namespace (its name and everything below it).</summary>
    public async Task<IReadOnlyList<string>> ListInNamespaceAsync(string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var prefix = organization + "/";
        return await db.Repositories.AsNoTracking().Where(r => r.Name == organization || r.Name.StartsWith(prefix))
            .OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(cancellationToken);
    }
}
