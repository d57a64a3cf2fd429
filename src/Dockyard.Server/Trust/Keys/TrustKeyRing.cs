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
    private readonly ReloadingSnapshot<TrustKeySnapshot> _snapshot = new((replaced, token) => LoadAsync(contexts, logger, replaced, token), time, () => options.Value.CacheTtl);

    public ValueTask<TrustKeySnapshot> GetAsync(CancellationToken cancellationToken) => _snapshot.GetAsync(cancellationToken);

    /// <summary>Called after every key change: the next <see cref="GetAsync"/> reloads and answers a new version.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    public void Dispose() => _snapshot.Dispose();

    /// <summary>A reload that merely aged and finds the same keys keeps the snapshot and its version (cached verdicts stay good).</summary>
    private static async Task<TrustKeySnapshot> LoadAsync(
        IDbContextFactory<DockyardDbContext> contexts, ILogger logger, ReloadingSnapshot<TrustKeySnapshot>.Replaced? replaced, CancellationToken cancellationToken)
    {
        var keys = await LoadKeysAsync(contexts, logger, cancellationToken);
        return replaced is { Invalidated: false } && SameKeys(replaced.Snapshot.ByFingerprint, keys)
            ? replaced.Snapshot
            : new TrustKeySnapshot(keys, (replaced?.Snapshot.Version ?? 0) + 1);
    }

    private static async Task<Dictionary<string, TrustedKey>> LoadKeysAsync(IDbContextFactory<DockyardDbContext> contexts, ILogger logger, CancellationToken cancellationToken)
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

}
