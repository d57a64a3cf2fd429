namespace Dockyard.Server.Control.Containers;

/// <summary>What the container was created to run (its <c>Config</c>).</summary>
internal sealed record ContainerConfigView(
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    string? WorkingDir,
    string? User,
    string? Hostname,
    bool Tty,
    IReadOnlyList<string> ExposedPorts);
