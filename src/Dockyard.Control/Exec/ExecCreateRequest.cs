namespace Dockyard.Control.Exec;

/// <summary>Body of <c>POST containers/{id}/exec</c>.</summary>
internal sealed record ExecCreateRequest(
    bool AttachStdin,
    bool AttachStdout,
    bool AttachStderr,
    bool Tty,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string>? Env,
    string? User,
    string? WorkingDir);
