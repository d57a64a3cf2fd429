namespace Dockyard.Server.Control.Containers;

/// <summary>A container's state; times are null when it never started or never finished.</summary>
internal sealed record ContainerStateView(
    string Status,
    bool Running,
    bool Paused,
    bool Restarting,
    bool OomKilled,
    bool Dead,
    int Pid,
    int ExitCode,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Health);
