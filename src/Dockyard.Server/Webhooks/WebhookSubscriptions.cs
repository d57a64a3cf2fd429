using Dockyard.Registry;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// The enabled subscriptions, cached so matching an event (pulls are frequent) costs no query. Changes made through
/// this process invalidate the cache at once; changes made by another replica are seen within
/// <see cref="WebhookOptions.SubscriptionRefreshInterval"/>.
/// </summary>
internal sealed class WebhookSubscriptions(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, IOptions<WebhookOptions> options)
{
    private Snapshot? _snapshot;
    private long _version;

    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _snapshot, null);
    }

    /// <summary>The webhooks subscribed to <paramref name="kind"/> events of <paramref name="repository"/>.</summary>
    public async ValueTask<IReadOnlyList<long>> MatchAsync(RepositoryName repository, WebhookEventKinds kind, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        if ((snapshot.Union & kind) == 0)
        {
            return [];
        }

        var ns = repository.Namespace;
        return [.. snapshot.Items
            .Where(s => (s.Events & kind) != 0
                && (string.Equals(s.Repository, repository.Value, StringComparison.Ordinal) || string.Equals(s.Organization, ns, StringComparison.Ordinal)))
            .Select(s => s.Id)];
    }

    private async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && time.GetElapsedTime(snapshot.LoadedAt) < options.Value.SubscriptionRefreshInterval)
        {
            return snapshot;
        }

        var version = Interlocked.Read(ref _version);
        var loadedAt = time.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from w in db.Webhooks.AsNoTracking()
            where w.Enabled
            join o in db.Organizations on w.OrganizationId equals o.Id into orgs
            from o in orgs.DefaultIfEmpty()
            select new { w.Id, Organization = o == null ? null : o.Name, w.Repository, w.Events }).ToListAsync(cancellationToken);
        var items = rows.Select(r => new WebhookSubscription(r.Id, r.Organization, r.Repository, (WebhookEventKinds)r.Events)).ToArray();
        snapshot = new Snapshot(items, items.Aggregate(WebhookEventKinds.None, (all, s) => all | s.Events), loadedAt);

        // A change committed during this load may be missing from it: then leave the cache empty so the next event reloads.
        if (Interlocked.Read(ref _version) == version)
        {
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot;
    }

    private sealed record Snapshot(IReadOnlyList<WebhookSubscription> Items, WebhookEventKinds Union, long LoadedAt);
}
