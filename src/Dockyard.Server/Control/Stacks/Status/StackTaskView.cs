namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>One task of a stack as the API shows it (what <c>docker stack ps</c> prints).</summary>
/// <param name="Id">Task id.</param>
/// <param name="Service">The service's full name (<c>&lt;stack&gt;_&lt;name&gt;</c>).</param>
/// <param name="Slot">Replica slot; null for global services.</param>
/// <param name="NodeId">Swarm node id; null while the task is not scheduled.</param>
/// <param name="Node">The node's hostname, when the node is known.</param>
/// <param name="DesiredState">What the orchestrator wants (running, shutdown, …).</param>
/// <param name="State">What the task is (pending, running, failed, …).</param>
/// <param name="Message">The engine's status message.</param>
/// <param name="Error">Why the task failed or is not scheduled (the scheduler's own words).</param>
/// <param name="ContainerId">Its container, once it has one.</param>
/// <param name="Image">The image the task runs.</param>
/// <param name="UpdatedAt">When the task last changed.</param>
internal sealed record StackTaskView(
    string Id,
    string Service,
    long? Slot,
    string? NodeId,
    string? Node,
    string DesiredState,
    string State,
    string? Message,
    string? Error,
    string? ContainerId,
    string Image,
    DateTimeOffset? UpdatedAt);
