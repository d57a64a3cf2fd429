using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Networks;
using Dockyard.Control.Services;
using Dockyard.Control.Stacks;
using Dockyard.Control.SwarmObjects;
using Dockyard.Control.Tasks;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Applies a <see cref="StackPlan"/> to the swarm the way <c>docker stack deploy --prune</c> does. <see cref="PrepareAsync"/>
/// only reads, and refuses (before any change) a service name another stack owns, an external network, secret or
/// config that does not exist, and a secret or config whose data would change (Swarm cannot change it).
/// <see cref="ApplyAsync"/> then creates the missing networks, secrets and configs, creates or updates the services
/// (an update keeps <c>ForceUpdate</c>, like the CLI) and removes the stack's services no longer in the plan.
/// </summary>
internal sealed class StackDeployer(StackObjectDigest digests, TimeProvider time)
{
    /// <summary>How long a deploy waits for the scheduler to place new tasks before it answers.</summary>
    public static readonly TimeSpan PlacementWait = TimeSpan.FromSeconds(3);

    public async Task<StackSwarmState> PrepareAsync(EngineClient manager, StackPlan plan, CancellationToken cancellationToken)
    {
        var stack = plan.Namespace;
        var services = new ServiceClient(manager);
        var existing = await services.ListAsync(new EngineFilters().Add("label", $"{StackLabels.Namespace}={stack}"), cancellationToken);
        foreach (var service in plan.Services)
        {
            if (existing.Any(s => s.Name == service.Name))
            {
                continue;
            }

            var same = (await services.ListAsync(new EngineFilters().Add("name", service.Name), cancellationToken)).FirstOrDefault(s => s.Name == service.Name);
            if (same is not null)
            {
                throw DomainException.Conflict(same.Labels.TryGetValue(StackLabels.Namespace, out var other)
                    ? $"Service {service.Name} already exists in stack {other}."
                    : $"Service {service.Name} already exists outside any stack.");
            }
        }

        var networks = new NetworkClient(manager);
        var networksToCreate = new List<StackNetworkPlan>();
        foreach (var network in plan.Networks)
        {
            var found = (await networks.ListAsync(new EngineFilters().Add("name", network.Name), cancellationToken)).Any(n => n.Name == network.Name);
            if (!found && network.External)
            {
                throw DomainException.Invalid("files", $"Network {network.Name} is declared external but does not exist.");
            }

            if (!found)
            {
                networksToCreate.Add(network);
            }
        }

        var warnings = new List<StackWarning>();
        var (secretsToCreate, secretIds) = await PrepareObjectsAsync(manager, SwarmObjectKind.Secret, stack, plan.Secrets, warnings, cancellationToken);
        var (configsToCreate, configIds) = await PrepareObjectsAsync(manager, SwarmObjectKind.Config, stack, plan.Configs, warnings, cancellationToken);
        return new StackSwarmState(existing, networksToCreate, secretsToCreate, configsToCreate, secretIds, configIds, warnings);
    }

    public async Task<StackApplyResult> ApplyAsync(
        EngineClient manager, StackPlan plan, StackSwarmState state, string? registryAuth, bool prune, IReadOnlySet<string> force, CancellationToken cancellationToken)
    {
        var networks = new NetworkClient(manager);
        foreach (var network in state.NetworksToCreate)
        {
            await networks.CreateAsync(network.Create!, cancellationToken);
        }

        var secretIds = new Dictionary<string, string>(state.SecretIds, StringComparer.Ordinal);
        await CreateObjectsAsync(new SwarmObjectClient(manager, SwarmObjectKind.Secret), state.SecretsToCreate, secretIds, cancellationToken);
        var configIds = new Dictionary<string, string>(state.ConfigIds, StringComparer.Ordinal);
        await CreateObjectsAsync(new SwarmObjectClient(manager, SwarmObjectKind.Config), state.ConfigsToCreate, configIds, cancellationToken);

        var services = new ServiceClient(manager);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new List<string>();
        var updated = new List<string>();
        foreach (var service in plan.Services)
        {
            var spec = service.Spec;
            FillIds(spec, "Secrets", "SecretName", "SecretID", secretIds);
            FillIds(spec, "Configs", "ConfigName", "ConfigID", configIds);
            if (state.Services.FirstOrDefault(s => s.Name == service.Name) is { } current)
            {
                var details = await services.InspectAsync(current.Id, cancellationToken);
                KeepForceUpdate(details.Spec, spec, force.Contains(service.Name));
                await services.UpdateAsync(current.Id, details.Version, spec, registryAuth, rollback: false, cancellationToken);
                ids[service.Name] = current.Id;
                updated.Add(service.Name);
            }
            else
            {
                ids[service.Name] = await services.CreateAsync(spec, registryAuth, cancellationToken);
                created.Add(service.Name);
            }
        }

        var removed = new List<string>();
        if (prune)
        {
            foreach (var stale in state.Services.Where(s => !ids.ContainsKey(s.Name)))
            {
                await services.RemoveAsync(stale.Id, cancellationToken);
                removed.Add(stale.Name);
            }
        }

        return new StackApplyResult(ids, created, updated, removed);
    }

    /// <summary>
    /// Waits up to <see cref="PlacementWait"/> for a task of each service to be placed, and returns the scheduler's
    /// reason for every service with none placed (<c>no suitable node …</c>) — a deploy reports it instead of hanging.
    /// </summary>
    public async Task<IReadOnlyList<StackWarning>> WaitForPlacementAsync(EngineClient manager, IReadOnlyDictionary<string, string> serviceIds, CancellationToken cancellationToken)
    {
        if (serviceIds.Count == 0)
        {
            return [];
        }

        var tasks = new TaskClient(manager);
        var deadline = time.GetUtcNow() + PlacementWait;
        var filters = new EngineFilters();
        foreach (var id in serviceIds.Values)
        {
            filters.Add("service", id);
        }

        var unplaced = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var list = await tasks.ListAsync(filters, cancellationToken);
            unplaced.Clear();
            var waiting = false;
            foreach (var (name, id) in serviceIds)
            {
                var own = list.Where(t => t.ServiceId == id && t.DesiredState == "running").ToList();
                if (own.Any(t => t.State is not ("new" or "pending")))
                {
                    continue;
                }

                // The orchestrator makes a new service's tasks a moment after the create: none yet is not placed yet
                // (a service scaled to 0 costs the whole wait).
                if (own.Count == 0)
                {
                    waiting = true;
                    continue;
                }

                if (own.FirstOrDefault(t => !string.IsNullOrEmpty(t.Error)) is { } failed)
                {
                    unplaced[name] = failed.Error!;
                }
                else
                {
                    waiting = true;
                }
            }

            if ((!waiting && unplaced.Count == 0) || time.GetUtcNow() >= deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        return [.. unplaced.Select(u => new StackWarning(null, 0, 0, $"Service {u.Key} has no running task: {u.Value}"))];
    }

    private async Task<(List<StackObjectPlan> ToCreate, Dictionary<string, string> Ids)> PrepareObjectsAsync(
        EngineClient manager, SwarmObjectKind kind, string stack, IReadOnlyList<StackObjectPlan> objects, List<StackWarning> warnings, CancellationToken cancellationToken)
    {
        var client = new SwarmObjectClient(manager, kind);
        var noun = kind == SwarmObjectKind.Secret ? "Secret" : "Config";
        var toCreate = new List<StackObjectPlan>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in objects)
        {
            var found = (await client.ListAsync(new EngineFilters().Add("name", item.Name), cancellationToken)).FirstOrDefault(o => o.Name == item.Name);
            if (item.External)
            {
                ids[item.Name] = found?.Id ?? throw DomainException.Invalid("files", $"{noun} {item.Name} is declared external but does not exist.");
                continue;
            }

            var digest = digests.Of(item.Spec!["Data"]?.GetValue<string>() ?? string.Empty);
            if (found is null)
            {
                var labels = item.Spec["Labels"] as JsonObject ?? [];
                labels[StackObjectDigest.Label] = digest;
                item.Spec["Labels"] = labels;
                toCreate.Add(item);
                continue;
            }

            if (!found.Labels.TryGetValue(StackLabels.Namespace, out var owner) || owner != stack)
            {
                throw DomainException.Conflict($"{noun} {item.Name} already exists and does not belong to stack {stack}.");
            }

            if (!found.Labels.TryGetValue(StackObjectDigest.Label, out var stored))
            {
                warnings.Add(new StackWarning(null, 0, 0, $"{noun} {item.Name} was not created by Dockyard: kept as it is (its data cannot be compared)."));
            }
            else if (stored != digest)
            {
                throw DomainException.Conflict(
                    $"{noun} {item.Name} exists with other data, and Swarm {noun.ToLowerInvariant()}s cannot change: give the changed {noun.ToLowerInvariant()} a new name (e.g. {item.Name}_v2) in the Compose file.");
            }

            ids[item.Name] = found.Id;
        }

        return (toCreate, ids);
    }

    private static async Task CreateObjectsAsync(SwarmObjectClient client, IReadOnlyList<StackObjectPlan> objects, Dictionary<string, string> ids, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            ids[item.Name] = await client.CreateAsync(item.Spec!, cancellationToken);
        }
    }

    /// <summary>Sets the id of each secret (or config) reference of the container spec from its name.</summary>
    private static void FillIds(JsonObject spec, string list, string nameField, string idField, IReadOnlyDictionary<string, string> ids)
    {
        if (spec["TaskTemplate"]?["ContainerSpec"]?[list] is not JsonArray references)
        {
            return;
        }

        foreach (var reference in references.OfType<JsonObject>())
        {
            if (reference[nameField]?.GetValue<string>() is { } name && ids.TryGetValue(name, out var id))
            {
                reference[idField] = id;
            }
        }
    }

    /// <summary>
    /// The CLI keeps the service's <c>ForceUpdate</c> counter on a redeploy, so an unchanged service is not restarted;
    /// a forced redeploy increments it, which replaces every task even when nothing else changed.
    /// </summary>
    private static void KeepForceUpdate(JsonObject current, JsonObject next, bool increment)
    {
        if (next["TaskTemplate"] is not JsonObject template)
        {
            return;
        }

        var counter = current["TaskTemplate"]?["ForceUpdate"] is JsonValue value && value.TryGetValue<long>(out var stored) ? stored : 0;
        template["ForceUpdate"] = increment ? counter + 1 : counter;
    }
}
