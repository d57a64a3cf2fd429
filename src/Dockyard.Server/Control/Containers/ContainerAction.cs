namespace Dockyard.Server.Control.Containers;

/// <summary>The lifecycle changes <see cref="ContainerService.ActAsync"/> makes (all need <see cref="Dockyard.Server.Access.Operation.ContainerOperate"/>).</summary>
internal enum ContainerAction
{
    Start,
    Stop,
    Restart,
    Kill,
    Pause,
    Unpause,
}
