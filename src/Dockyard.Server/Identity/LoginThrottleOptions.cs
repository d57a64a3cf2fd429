namespace Dockyard.Server.Identity;

/// <summary>
/// Configuration section <c>Dockyard:Auth:Lockout</c>: failed-login throttling. A key (a username, a source
/// address) with <c>MaxFailures…</c> failures within <see cref="Window"/> is locked for <see cref="LockoutDuration"/>;
/// while locked every login on it fails exactly like a wrong password.
/// </summary>
public sealed record LoginThrottleOptions
{
    public const string Section = "Dockyard:Auth:Lockout";

    public bool Enabled { get; init; } = true;

    public int MaxFailuresPerUser { get; init; } = 10;

    /// <summary>Higher than per user: many people may share one address (NAT, a CI runner pool).</summary>
    public int MaxFailuresPerAddress { get; init; } = 100;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);
}
