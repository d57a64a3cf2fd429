namespace Dockyard.Control.Logs;

/// <summary><c>ContainerSpec</c> of a service's task template, reduced to <c>TTY</c> (matched case-insensitively).</summary>
internal sealed record TtyContainerSpec(bool Tty);
