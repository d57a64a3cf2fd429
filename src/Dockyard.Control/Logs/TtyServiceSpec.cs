namespace Dockyard.Control.Logs;

/// <summary><c>Spec</c> of a service inspect, reduced to its task template.</summary>
internal sealed record TtyServiceSpec(TtyTaskSpec? TaskTemplate);
