namespace Dockyard.Server.Identity;

/// <summary>
/// Configuration section <c>Dockyard:Auth:Lockout</c>: failed-login throttling (docs/security.md, "Sign-in
/// throttling"). Counters live in the database and are shared by replicas; the request-rate and hashing limits are
/// held in each replica's memory.
/// </summary>
public sealed record LoginThrottleOptions
{
    public const string Section = "Dockyard:Auth:Lockout";

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Failures of one username from one source address within <see cref="Window"/> that lock that pair for
    /// <see cref="LockoutDuration"/>. Only the guessing address is locked out; the account stays usable elsewhere.
    /// </summary>
    public int MaxFailuresPerUserAndAddress { get; init; } = 10;

    /// <summary>
    /// Failures of one username from all addresses within <see cref="Window"/> after which every password sign-in
    /// to it waits <see cref="UserDelay"/>, doubling with each further failure up to <see cref="MaxUserDelay"/>.
    /// The account is slowed, never locked, so failures cannot be used to keep its owner out.
    /// </summary>
    public int MaxFailuresPerUser { get; init; } = 10;

    public TimeSpan UserDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxUserDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Higher than per user: many people may share one address (NAT, a CI runner pool). Answered with 429.</summary>
    public int MaxFailuresPerAddress { get; init; } = 100;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Password sign-ins one source address may start in a burst (a token bucket, per replica, checked before any
    /// database query or hash); refilled at <see cref="AddressAttemptsPerMinute"/>. Access tokens are not counted.
    /// </summary>
    public int AddressBurst { get; init; } = 60;

    public int AddressAttemptsPerMinute { get; init; } = 120;

    /// <summary>Password checks one source address may have running at once (per replica); up to 16 times as many wait, the rest get 429.</summary>
    public int ConcurrentChecksPerAddress { get; init; } = 2;

    /// <summary>PBKDF2 verifications running at once in one replica; 0 means one per processor.</summary>
    public int MaxConcurrentHashes { get; init; }
}
