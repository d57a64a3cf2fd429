namespace Dockyard.Server.Coordination;

/// <summary>Configuration section <c>Dockyard:Coordination</c>: how replicas keep out of each other's way.</summary>
public sealed record CoordinationOptions
{
    public const string Section = "Dockyard:Coordination";

    public LockMode Locks { get; init; } = LockMode.Auto;

    /// <summary>
    /// How long a database lease lasts without renewal. The holder renews it every third of this while it works (a
    /// heartbeat), so it only matters when a replica dies holding one: others wait at most this long — short, because a
    /// client whose upload was on the dead replica retries on another one and must not time out waiting (nginx re-sends
    /// the completing PUT at once). Keep it well above clock skew and above the longest stall a live replica may have.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a request waits for a held lock before it is answered 429 (retry later).</summary>
    public TimeSpan AcquireTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
