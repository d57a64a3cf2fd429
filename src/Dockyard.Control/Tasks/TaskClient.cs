using Dockyard.Control.Engines;

namespace Dockyard.Control.Tasks;

/// <summary>Swarm tasks through a manager engine.</summary>
public sealed class TaskClient(EngineClient engine)
{
    /// <summary><c>GET /tasks</c>; filters: id, name, service, node, label, desired-state.</summary>
    public Task<IReadOnlyList<TaskSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this " + engine.Name);
}
