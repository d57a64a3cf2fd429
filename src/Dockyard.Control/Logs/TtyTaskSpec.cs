namespace Dockyard.Control.Logs;

/// <summary><c>TaskTemplate</c> of a service spec, reduced to its container spec.</summary>
internal sealed record TtyTaskSpec(TtyContainerSpec? ContainerSpec);
