namespace Dockyard.Control.Logs;

/// <summary>The part of <c>GET containers/{id}/json</c> that says whether its output is raw: <c>Config.Tty</c>.</summary>
internal sealed record TtyContainerInspect(TtyContainerConfig? Config);
