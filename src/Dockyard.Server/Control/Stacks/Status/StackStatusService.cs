using System.Text.RegularExpressions;
using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Control.Services;
using Dockyard.Control.Stacks;
using Dockyard.Control.Tasks;
using Dockyard.Server.Access;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Stats;
using Dockyard.Server.Control.Streaming;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// A stack's status as its Swarm objects show it — services labelled <c>com.docker.stack.namespace=&lt;stack&gt;</c>
/// on a reachable manager, whoever deployed them (Dockyard or <c>docker stack deploy</c>) — for the API and the UI alike:
/// <list type="bullet">
/// <item><see cref="GetTasksAsync"/>: every task with its node's hostname, state and error (<c>docker stack ps</c>);</item>
/// <item><see cref="SubscribeStatsAsync"/>: live CPU/memory summed over the running task containers, about once a
/// second, shared by all viewers of the stack (<see cref="StackStatsHub"/>); a UI Server-Sent-Events endpoint reads
/// <see cref="LatestOnlySubscription{T, TEnd}.Samples"/> until it completes and disposes the subscription when the
/// browser leaves, exactly as <c>Api/StackStatusEndpoints</c> does;</item>
/// <item><see cref="GetStatsSampleAsync"/>: one sum, once every container has a CPU figure.</item>
/// </list>
/// Access: the stack's collection is its services' <c>dockyard.access.collection</c> label (<see cref="ControlLabels"/>);
/// services in different collections need <see cref="Operation.StackView"/> in each. A stack the caller may not
/// view, or that has no services, is 404. Reads are not audited.
/// </summary>
internal sealed partial class StackStatusService(EngineRegistry registry, CollectionDecisions decisions, StackStatsHub hub)
{
    /// <summary>How long <see cref="GetStatsSampleAsync"/> waits for every container's CPU figure.</summary>
    public static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The stack's services after <see cref="Operation.StackView"/> was decided in each of their collections.
    /// 404 for an unknown or hidden stack, 503 without a reachable manager.
    /// </summary>
    public async Task<StackScope> AuthorizeAsync(Principal principal, string stack, CancellationToken cancellationToken)
    {
        var manager = await ManagerAsync(stack, cancellationToken);
        IReadOnlyList<ServiceSummary> services;
        try
        {
            services = await new ServiceClient(manager).ListAsync(new EngineFilters().Add("label", StackLabels.Namespace + "=" + stack), cancellationToken);
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }

        if (services.Count == 0)
        {
            throw NotFound(stack);
        }

        foreach (var collection in services.Select(s => ControlLabels.CollectionOf(s.Labels)).Distinct())
        {
            await decisions.RequireAsync(principal, Operation.StackView, Operation.StackView, ResourceKind.Stack, collection, "stack " + stack, cancellationToken);
        }

        return new StackScope(stack, services);
    }

    /// <summary>The stack's tasks (current and recent history, as the manager keeps it), running first, then by service and slot.</summary>
    public async Task<StackTaskList> GetTasksAsync(Principal principal, string stack, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeAsync(principal, stack, cancellationToken);
        var manager = await ManagerAsync(stack, cancellationToken);
        var filters = new EngineFilters();
        foreach (var service in scope.Services)
        {
            filters.Add("service", service.Id);
        }

        IReadOnlyList<TaskSummary> tasks;
        var warnings = new List<string>();
        var hostnames = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            tasks = await new TaskClient(manager).ListAsync(filters, cancellationToken);
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }

        try
        {
            foreach (var node in await new NodeClient(manager).ListAsync(null, cancellationToken))
            {
                hostnames[node.Id] = node.Hostname;
            }
        }
        catch (EngineApiException error)
        {
            warnings.Add("node names unknown: " + error.Message);
        }

        var names = scope.Services.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var items = tasks
            .Select(t => new StackTaskView(
                t.Id, names.GetValueOrDefault(t.ServiceId, t.ServiceId), t.Slot, t.NodeId,
                t.NodeId is { } node ? hostnames.GetValueOrDefault(node) : null,
                t.DesiredState, t.State, t.Message, t.Error, t.ContainerId, t.Image, t.UpdatedAt))
            .OrderBy(t => t.DesiredState == "running" ? 0 : 1)
            .ThenBy(t => t.Service, StringComparer.Ordinal)
            .ThenBy(t => t.Slot ?? 0)
            .ThenBy(t => t.Node, StringComparer.Ordinal)
            .ThenByDescending(t => t.UpdatedAt)
            .ToList();
        return new StackTaskList(items, warnings);
    }

    /// <summary>
    /// A subscription to the stack's live resources (dispose it when the viewer leaves). Authorized once, here; the
    /// sums follow tasks as they come and go (scale, update) without asking again.
    /// </summary>
    public async Task<LatestOnlySubscription<StackStatsSample, StatsEnd>> SubscribeStatsAsync(Principal principal, string stack, CancellationToken cancellationToken)
    {
        var scope = await AuthorizeAsync(principal, stack, cancellationToken);
        return hub.Subscribe(scope.Name);
    }

    /// <summary>One sum: the first in which every counted container has a CPU figure, or the last one after <see cref="SampleTimeout"/>.</summary>
    public async Task<StackStatsView> GetStatsSampleAsync(Principal principal, string stack, CancellationToken cancellationToken)
    {
        using var subscription = await SubscribeStatsAsync(principal, stack, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SampleTimeout);
        StackStatsSample? last = null;
        try
        {
            await foreach (var sample in subscription.Samples.ReadAllAsync(timeout.Token))
            {
                last = sample;
                if (sample.Complete)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: answer with what there is.
        }

        return last?.View ?? throw (subscription.End is { Reason: "removed" } ? NotFound(stack) : DomainException.Unavailable($"The resources of stack {stack} could not be read."));
    }

    private async Task<EngineClient> ManagerAsync(string stack, CancellationToken cancellationToken)
    {
        if (!Name().IsMatch(stack))
        {
            throw NotFound(stack.Length > 80 ? stack[..80] + "…" : stack);
        }

        await registry.EnsureLoadedAsync(cancellationToken);
        return registry.GetManager() ?? throw DomainException.Unavailable("No swarm manager engine is reachable: stacks cannot be read.");
    }

    private static DomainException NotFound(string stack) => DomainException.NotFound($"Stack {stack} not found.");

    // Stack names as docker accepts them for the namespace label (lowercase alnum, '_', '-'; uppercase tolerated for stacks made outside Dockyard).
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
