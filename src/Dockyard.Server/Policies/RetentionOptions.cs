namespace Dockyard.Server.Policies;

/// <summary><c>Dockyard:Retention</c>: the scheduled retention job.</summary>
internal sealed record RetentionOptions
{
    public const string Section = "Dockyard:Retention";

    /// <summary>Whether the job runs on a schedule. Off by default: retention deletes, so it is switched on deliberately.</summary>
    public bool Enabled { get; init; }

    /// <summary>Time between runs (the first run is one interval after start).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Tags and manifests pushed more recently than this are never deleted unless a policy says <c>includeRecent</c>.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromHours(1);
}
