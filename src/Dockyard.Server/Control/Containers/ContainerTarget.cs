using Dockyard.Control.Containers;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// A container found on an engine: the engine that runs it (the only one that can exec into it, read its logs or
/// stats), what it looked like when found, and the collection its labels put it in.
/// </summary>
internal sealed record ContainerTarget(ReachableEngine Engine, ContainerDetails Details)
{
    public string Id => Details.Id;

    /// <summary>The name without the engine's leading slash.</summary>
    public string Name => Details.Name.TrimStart('/');

    public CollectionPath Collection => ControlLabels.CollectionOf(Details.Config.Labels);

    /// <summary>"container &lt;name&gt;", for messages and audit.</summary>
    public string Description => "container " + Name;

    public ContainerClient Client => new(Engine.Client);
}
