using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Identity;

/// <summary>
/// Failed-login counters in <c>login_throttles</c> (shared by all replicas), keyed <c>ip:ADDRESS</c>,
/// <c>user:NAME</c> or <c>ip:ADDRESS/user:NAME</c> (<see cref="LoginKeys"/>). An address or an (address, name) pair
/// is locked after too many failures; a name alone is never locked, only slowed (<see cref="UserDelayFor"/>), so
/// nobody can lock an account's owner out from elsewhere. Counts are approximate under concurrent failures from
/// several replicas (last writer wins), which only shifts the thresholds by a few attempts.
/// </summary>
internal sealed partial class LoginThrottle(
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<LoginThrottleOptions> options,
    TimeProvider time,
    ILogger<LoginThrottle> logger)
{
    private const string UserPrefix = "user:";
    private const string AddressPrefix = "ip:";
    private const int MaxUserKeyLength = 256;

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// <c>user:NAME</c>, lowercased. Usernames are attacker-chosen: a long one or one with control characters is
    /// hashed, keeping keys bounded and printable without letting two names share a counter.
    /// </summary>
    public static string UserKey(string username)
    {
        var name = username.Trim().ToLowerInvariant();
        var key = UserPrefix + name;
        return key.Length <= MaxUserKeyLength && !name.Any(char.IsControl)
            ? key
            : UserPrefix + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>
    /// <c>ip:ADDRESS</c>; an IPv6 address counts as its /64 network, since one client usually holds a whole /64 and
    /// could otherwise rotate through addresses.
    /// </summary>
    public static string AddressKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return AddressPrefix + address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return AddressPrefix + address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return AddressPrefix + new IPAddress(bytes) + "/64";
    }

    /// <summary><c>ip:ADDRESS/user:NAME</c>: one name from one address (at most ~310 characters).</summary>
    public static string PairKey(IPAddress address, string username) => AddressKey(address) + "/" + UserKey(username);

    /// <summary>
    /// Zero below <see cref="LoginThrottleOptions.MaxFailuresPerUser"/> failures; then
    /// <see cref="LoginThrottleOptions.UserDelay"/>, doubling with each further failure, at most
    /// <see cref="LoginThrottleOptions.MaxUserDelay"/>.
    /// </summary>
    public static TimeSpan UserDelayFor(LoginThrottleOptions settings, int failures)
    {
        if (failures < settings.MaxFailuresPerUser || settings.UserDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - settings.MaxFailuresPerUser, 30);
        var delay = settings.UserDelay.Ticks * (1L << doublings);
        return delay >= settings.MaxUserDelay.Ticks || delay < 0 ? settings.MaxUserDelay : TimeSpan.FromTicks(delay);
    }

    /// <summary>Reads the keys' counters in one query.</summary>
    public async Task<LoginThrottleState> CheckAsync(LoginKeys keys, CancellationToken cancellationToken)
    {
        var all = keys.All;
        if (!Enabled || all.Length == 0)
        {
            return LoginThrottleState.Open;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.LoginThrottles.AsNoTracking().Where(t => all.Contains(t.Key)).ToListAsync(cancellationToken);
        TimeSpan? addressRetryAfter = null;
        var pairLocked = false;
        var userDelay = TimeSpan.Zero;
        foreach (var row in rows)
        {
            if (row.Key == keys.Address && row.LockedUntil > now)
            {
                // Whole seconds, rounded up: Retry-After has no finer unit.
                addressRetryAfter = TimeSpan.FromSeconds(Math.Ceiling((row.LockedUntil.Value - now).TotalSeconds));
            }
            else if (row.Key == keys.Pair && row.LockedUntil > now)
            {
                pairLocked = true;
            }
            else if (row.Key == keys.User && now - row.WindowStartedAt < settings.Window)
            {
                userDelay = UserDelayFor(settings, row.Failures);
            }
        }

        return new LoginThrottleState(addressRetryAfter, pairLocked, userDelay);
    }

    public async Task RecordFailureAsync(LoginKeys keys, CancellationToken cancellationToken)
    {
        var all = keys.All;
        if (!Enabled || all.Length == 0)
        {
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.LoginThrottles.Where(t => all.Contains(t.Key)).ToDictionaryAsync(t => t.Key, StringComparer.Ordinal, cancellationToken);
        foreach (var key in all)
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

            row.Failures = row.Failures == int.MaxValue ? int.MaxValue : row.Failures + 1;
            var limit = key == keys.Address ? settings.MaxFailuresPerAddress : key == keys.Pair ? settings.MaxFailuresPerUserAndAddress : int.MaxValue;
            if (row.Failures >= limit)
            {
                row.LockedUntil = now + settings.LockoutDuration;
                row.Failures = 0;
                row.WindowStartedAt = now;
                LogLocked(logger, key, settings.LockoutDuration);
            }
            else if (key == keys.User && row.Failures == settings.MaxFailuresPerUser)
            {
                LogSlowed(logger, key);
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

    /// <summary>After a successful sign-in: forgets the name's failures, account-wide and from this address (never the address's).</summary>
    public async Task ResetAsync(LoginKeys keys, CancellationToken cancellationToken)
    {
        if (!Enabled || keys.User is null)
        {
            return;
        }

        string[] forget = keys.Pair is null ? [keys.User] : [keys.User, keys.Pair];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.LoginThrottles.Where(t => forget.Contains(t.Key)).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception error) when (OutOfSpace.Is(error))
        {
            // On a full disk the successful sign-in goes on; the counters are forgotten at the next one.
        }
    }

    /// <summary>An administrator's unlock: forgets every counter and lock of <paramref name="username"/>, from every address. Returns how many were removed.</summary>
    public async Task<int> UnlockUserAsync(string username, CancellationToken cancellationToken)
    {
        var key = UserKey(username);
        var suffix = "/" + key;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.LoginThrottles.Where(t => t.Key == key || t.Key.EndsWith(suffix)).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Too many failed logins for {Key}: locked for {Duration}")]
    private static partial void LogLocked(ILogger logger, string key, TimeSpan duration);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Too many failed logins for {Key} from all addresses: its password sign-ins are slowed down")]
    private static partial void LogSlowed(ILogger logger, string key);
}
