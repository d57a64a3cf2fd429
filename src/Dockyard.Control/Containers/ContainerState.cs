namespace Dockyard.Control.Containers;

/// <summary>A container's <c>State</c>.</summary>
public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = string.Empty;

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OomKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string Error { get; init; } = string.Empty;

    /// <summary>RFC 3339 text; <c>0001-01-01T00:00:00Z</c> when never started.</summary>
    public string StartedAt { get; init; } = string.Empty;

    public string FinishedAt { get; init; } = string.Empty;
}
