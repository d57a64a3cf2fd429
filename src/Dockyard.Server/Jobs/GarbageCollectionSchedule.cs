namespace Dockyard.Server.Jobs;

/// <summary>
/// When scheduled garbage collection runs: the configuration's <c>Dockyard:GarbageCollection:Enabled</c> and
/// <c>Interval</c>, unless an administrator stored an override at run time (<see cref="Overridden"/>, by whom and when).
/// </summary>
internal sealed record GarbageCollectionSchedule(bool Enabled, TimeSpan Interval, bool Overridden, string? UpdatedBy, DateTimeOffset? UpdatedAt)
{
    /// <summary>The configured schedule, from start-up configuration.</summary>
    public bool ConfiguredEnabled { get; init; }

    public TimeSpan ConfiguredInterval { get; init; }

    /// <summary>Whether the server runs collections on its own.</summary>
    public bool Runs => Enabled && Interval > TimeSpan.Zero;
}
