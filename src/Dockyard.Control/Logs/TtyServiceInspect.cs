namespace Dockyard.Control.Logs;

/// <summary>The part of <c>GET services/{id}</c> that says whether its logs are raw: <c>Spec.TaskTemplate.ContainerSpec.TTY</c>.</summary>
internal sealed record TtyServiceInspect(TtyServiceInspect.ServiceSpec? Spec)
{
    internal sealed record ServiceSpec(TaskSpec? TaskTemplate);

    internal sealed record TaskSpec(ContainerSpec? ContainerSpec);

    internal sealed record ContainerSpec(bool Tty);
}
