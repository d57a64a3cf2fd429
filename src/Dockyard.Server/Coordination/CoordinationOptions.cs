namespace Dockyard.Server.Coordination;

/// <summary>Configuration section <c>Dockyard:Coordination</c>: how replicas keep out of each other's way.</summary>
public sealed record CoordinationOptions
{
    public const string Section = "Dockyard:Coordination";

    public LockMode Locks { get; init; } = LockMode.Auto;

    /// <summary>
    /// How long a database lease lasts without renewal. The holder renews it every third of this while it works, so it
    /// only matters when a replica dies holding one: others wait at most this long. Keep it well above clock skew.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for a held lock before it is answered 429 (retry later).</summary>
    public TimeSpan AcquireTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
