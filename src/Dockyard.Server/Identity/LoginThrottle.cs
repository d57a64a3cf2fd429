using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Identity;

/// <summary>
/// Failed-login counters in <c>login_throttles</c> (shared by all replicas), keyed <c>user:NAME</c> or
/// <c>ip:ADDRESS</c>. Counts are approximate under concurrent failures from several replicas (last writer
/// wins), which only shifts the threshold by a few attempts.
/// </summary>
internal sealed partial class LoginThrottle(
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<LoginThrottleOptions> options,
    TimeProvider time,
    ILogger<LoginThrottle> logger)
{
    private const string UserPrefix = "user:";
    private const string AddressPrefix = "ip:";
    private const int MaxKeyLength = 320;

    public bool Enabled => options.Value.Enabled;

    public static string UserKey(string username)
    {
        var key = UserPrefix + username.Trim().ToLowerInvariant();
        // Usernames are attacker-chosen: keep keys bounded without letting two long names share a counter.
        return key.Length <= MaxKeyLength ? key : UserPrefix + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static string AddressKey(IPAddress address) =>
        AddressPrefix + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public async Task<bool> IsLockedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (!Enabled || keys.Count == 0)
        {
            return false;
        }

        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.LoginThrottles.AsNoTracking().AnyAsync(t => keys.Contains(t.Key) && t.LockedUntil > now, cancellationToken);
    }

    public async Task RecordFailureAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (!Enabled || keys.Count == 0)
        {
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.LoginThrottles.Where(t => keys.Contains(t.Key)).ToDictionaryAsync(t => t.Key, StringComparer.Ordinal, cancellationToken);
        foreach (var key in keys)
        {
            if (!rows.TryGetValue(key, out var row))
            {
                row = new LoginThrottleEntity { Key = key, WindowStartedAt = now };
                db.LoginThrottles.Add(row);
            }
            else if (now - row.WindowStartedAt >= settings.Window)
            {
                row.Failures = 0;
                row.WindowStartedAt = now;
            }

            row.Failures++;
            var limit = key.StartsWith(AddressPrefix, StringComparison.Ordinal) ? settings.MaxFailuresPerAddress : settings.MaxFailuresPerUser;
            if (row.Failures >= limit)
            {
                row.LockedUntil = now + settings.LockoutDuration;
                row.Failures = 0;
                row.WindowStartedAt = now;
                LogLocked(logger, key, settings.LockoutDuration);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica inserted the same key concurrently; its count stands, this failure is lost.
        }
    }

    /// <summary>Forgets a key's failures (a successful login resets its user key, never its address key).</summary>
    public async Task ResetAsync(string key, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.LoginThrottles.Where(t => t.Key == key && (t.LockedUntil == null || t.LockedUntil <= time.GetUtcNow())).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Too many failed logins for {Key}: locked for {Duration}")]
    private static partial void LogLocked(ILogger logger, string key, TimeSpan duration);
}
