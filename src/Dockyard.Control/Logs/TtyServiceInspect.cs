namespace Dockyard.Control.Logs;

/// <summary>The part of <c>GET services/{id}</c> that says whether its logs are raw: <c>Spec.TaskTemplate.ContainerSpec.TTY</c>.</summary>
internal sealed record TtyServiceInspect(TtyServiceSpec? Spec);
