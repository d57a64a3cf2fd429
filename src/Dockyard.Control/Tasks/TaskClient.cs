using Dockyard.Control.Engines;

namespace Dockyard.Control.Tasks;

/// <summary>Swarm tasks through a manager engine.</summary>
public sealed class TaskClient(EngineClient engine)
{
    /// <summary><c>GET /tasks</c>; filters: id, name, service, node, label, desired-state.</summary>
    public async Task<IReadOnlyList<TaskSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("tasks").Add(filters).ToString();
        var tasks = await engine.GetAsync(path, TaskJsonContext.Default.ListTaskDocument, cancellationToken);
        return tasks.Select(task => task.ToSummary()).ToList();
    }
}
