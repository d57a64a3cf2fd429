namespace Dockyard.Control.Exec;

/// <summary>What <c>POST containers/{id}/exec</c> runs and how it is attached.</summary>
public sealed record ExecCreateOptions
{
    /// <summary>The command and its arguments, e.g. <c>["/bin/bash"]</c>.</summary>
    public required IReadOnlyList<string> Cmd { get; init; }

    /// <summary>Allocate a pseudo-terminal: the stream is raw (stdout and stderr mixed) instead of multiplexed.</summary>
    public bool Tty { get; init; }

    /// <summary>Attach standard input (an interactive console).</summary>
    public bool AttachStdin { get; init; }

    /// <summary>Attach standard output.</summary>
    public bool AttachStdout { get; init; } = true;

    /// <summary>Attach standard error.</summary>
    public bool AttachStderr { get; init; } = true;

    /// <summary>Extra environment, <c>KEY=value</c>.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>User (and group) to run as, <c>user</c>, <c>user:group</c>, <c>uid:gid</c>; null for the container's user.</summary>
    public string? User { get; init; }

    /// <summary>Working directory; null for the container's.</summary>
    public string? WorkingDir { get; init; }
}
