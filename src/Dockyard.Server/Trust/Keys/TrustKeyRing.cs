using Dockyard.Server.Data;
using Dockyard.Server.Trust.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Keys;

/// <summary>
/// The current <see cref="TrustKeySnapshot"/>: reloaded at once after a change through this process
/// (<see cref="Invalidate"/>), within <see cref="TrustKeyOptions.CacheTtl"/> after one through another replica. A fresh
/// snapshot is served without touching the database; one load at a time, and readers never wait for a reload while a
/// valid snapshot exists. <see cref="TrustKeySnapshot.Version"/> moves on after every invalidation and whenever a
/// reload finds different keys, so a verdict cached under one version is never served under another.
/// </summary>
internal sealed partial class TrustKeyRing(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, IOptions<TrustKeyOptions> options, ILogger<TrustKeyRing> logger) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _current;
    private long _generation;

    public async ValueTask<TrustKeySnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (IsFresh(current))
        {
            return current!.Snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (IsFresh(current))
            {
                return current!.Snapshot;
            }

            var generation = Interlocked.Read(ref _generation);
            var keys = await LoadAsync(cancellationToken);
            var snapshot = current is not null && current.Generation == generation && SameKeys(current.Snapshot.ByFingerprint, keys)
                ? current.Snapshot
                : new TrustKeySnapshot(keys, (current?.Snapshot.Version ?? 0) + 1);
            _current = new Loaded(snapshot, generation, time.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Called after every key change: the next <see cref="GetAsync"/> reloads and answers a new version.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public void Dispose() => _loading.Dispose();

    private bool IsFresh(Loaded? loaded) =>
        loaded is not null && loaded.Generation == Interlocked.Read(ref _generation) && time.GetUtcNow() - loaded.LoadedAt < options.Value.CacheTtl;

    private async Task<Dictionary<string, TrustedKey>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from key in db.TrustKeys.AsNoTracking()
            join organization in db.Organizations.AsNoTracking() on key.OrganizationId equals organization.Id
            join team in db.Teams.AsNoTracking() on key.TeamId equals (long?)team.Id into teams
            from team in teams.DefaultIfEmpty()
            orderby key.Id
            select new { key.Id, key.Name, Organization = organization.Name, Team = team == null ? null : team.Name, key.PublicKeyPem, key.ExpiresAt, key.RevokedAt })
            .ToListAsync(cancellationToken);

        var keys = new Dictionary<string, TrustedKey>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            SignaturePublicKey publicKey;
            try
            {
                publicKey = SignaturePublicKey.Parse(row.PublicKeyPem);
            }
            catch (KeyFormatException ex)
            {
                // Checked when registered; a row that no longer parses (edited by hand) must not stop every other key.
                LogUnreadableKey(logger, row.Organization, row.Name, ex.Message);
                continue;
            }

            keys[publicKey.Fingerprint] = new TrustedKey(
                row.Id, row.Name, row.Organization, row.Team is null ? null : $"{row.Organization}/{row.Team}", publicKey, row.ExpiresAt, row.RevokedAt);
        }

        return keys;
    }

    private static bool SameKeys(IReadOnlyDictionary<string, TrustedKey> cached, Dictionary<string, TrustedKey> loaded) =>
        cached.Count == loaded.Count && loaded.All(pair => cached.TryGetValue(pair.Key, out var key) && SameKey(key, pair.Value));

    // Records compare the public key by reference; the fingerprint (the dictionary key) already matched.
    private static bool SameKey(TrustedKey a, TrustedKey b) =>
        a.Id == b.Id && a.Name == b.Name && a.Organization == b.Organization && a.Team == b.Team && a.ExpiresAt == b.ExpiresAt && a.RevokedAt == b.RevokedAt;

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "Trusted key {Organization}/{Name} is left out: its public key does not parse ({Reason})")]
    private static partial void LogUnreadableKey(ILogger logger, string organization, string name, string reason);

    private sealed record Loaded(TrustKeySnapshot Snapshot, long Generation, DateTimeOffset LoadedAt);
}
