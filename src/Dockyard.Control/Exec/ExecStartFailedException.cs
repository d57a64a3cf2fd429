namespace Dockyard.Control.Exec;

/// <summary>
/// The engine accepted the exec but could not start its process; dockerd writes the reason into the stream
/// (<c>OCI runtime exec failed: exec failed: … exec: "/bin/bash": stat /bin/bash: no such file or directory</c>) and
/// closes it. <see cref="ExecutableNotFound"/> tells a console to fall back to another shell (<c>/bin/bash</c> →
/// <c>/bin/sh</c>).
/// </summary>
public sealed class ExecStartFailedException : Exception
{
    public ExecStartFailedException(string engine, string execId, string engineMessage, string? missingExecutable)
        : base($"engine {engine}: {engineMessage}")
    {
        Engine = engine;
        ExecId = execId;
        EngineMessage = engineMessage;
        MissingExecutable = missingExecutable;
    }

    /// <summary>Name of the engine.</summary>
    public string Engine { get; }

    /// <summary>The exec instance that failed.</summary>
    public string ExecId { get; }

    /// <summary>The engine's message, as it wrote it.</summary>
    public string EngineMessage { get; }

    /// <summary>The command that does not exist in the container (<c>/bin/bash</c>), or null when the start failed otherwise.</summary>
    public string? MissingExecutable { get; }

    /// <summary>True when the command does not exist in the container (not on the path, or no such file).</summary>
    public bool ExecutableNotFound => MissingExecutable is not null;
}
