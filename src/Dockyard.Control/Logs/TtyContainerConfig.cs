namespace Dockyard.Control.Logs;

/// <summary><c>Config</c> of a container inspect, reduced to <c>Tty</c>.</summary>
internal sealed record TtyContainerConfig(bool Tty);
