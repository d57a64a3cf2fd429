using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Networks;
using Dockyard.Control.Services;
using Dockyard.Control.Stacks;
using Dockyard.Control.SwarmObjects;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks;

/// <summary>Operations on a running stack: scale, roll a service back, remove, adopt.</summary>
internal sealed partial class StackService
{
    /// <summary>Sets a replicated service's replicas (0 allowed) by a read-modify-write of its spec; a global service is a 400.</summary>
    public async Task<StackServiceView> ScaleAsync(Caller caller, string name, string service, long replicas, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackFound? found = null;
        ServiceSummary? target = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackScale, "stacks/" + name).WithFields(("stack", name), ("service", service), ("replicas", replicas)),
            async ct =>
            {
                (found, target) = await ServiceAsync(caller.Principal, name, service, ct);
                if (replicas is < 0 or > 10_000)
                {
                    throw DomainException.Invalid("replicas", "Replicas are 0 to 10000.");
                }

                return await DecideAsync(caller.Principal, Operation.StackDeploy, name, found.Collections, ct);
            },
            async ct =>
            {
                var services = new ServiceClient(found!.Manager!);
                try
                {
                    var details = await services.InspectAsync(target!.Id, ct);
                    if (details.Spec["Mode"]?["Replicated"] is not JsonObject replicated)
                    {
                        throw DomainException.Invalid("replicas", $"Service {target.Name} is not replicated ({target.Mode}): it cannot be scaled.");
                    }

                    replicated["Replicas"] = replicas;
                    await services.UpdateAsync(target.Id, details.Version, details.Spec, await RegistryAuthAsync(caller.Principal, target, ct), rollback: false, ct);
                }
                catch (EngineApiException error)
                {
                    throw EngineErrors.ToDomain(error);
                }

                return await ServiceViewAsync(name, target!.Name, ct);
            },
            cancellationToken);
    }

    /// <summary>Rolls one service back to its previous spec (<c>rollback=previous</c>); 409 when it has none.</summary>
    public async Task<StackServiceView> RollbackServiceAsync(Caller caller, string name, string service, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackFound? found = null;
        ServiceSummary? target = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackServiceRollback, "stacks/" + name).WithFields(("stack", name), ("service", service)),
            async ct =>
            {
                (found, target) = await ServiceAsync(caller.Principal, name, service, ct);
                return await DecideAsync(caller.Principal, Operation.StackDeploy, name, found.Collections, ct);
            },
            async ct =>
            {
                var services = new ServiceClient(found!.Manager!);
                try
                {
                    var details = await services.InspectAsync(target!.Id, ct);
                    if (details.PreviousSpec is null)
                    {
                        throw DomainException.Conflict($"Service {target.Name} has no previous spec to roll back to.");
                    }

                    await services.UpdateAsync(target.Id, details.Version, details.Spec, await RegistryAuthAsync(caller.Principal, target, ct), rollback: true, ct);
                }
                catch (EngineApiException error)
                {
                    throw EngineErrors.ToDomain(error);
                }

                return await ServiceViewAsync(name, target!.Name, ct);
            },
            cancellationToken);
    }

    /// <summary>
    /// Removes the stack's services, then its networks, secrets and configs (by the namespace label), and Dockyard's
    /// record with its revisions, follows and hooks. Objects that cannot be removed yet are warnings.
    /// </summary>
    public async Task<StackRemoval> RemoveAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackFound? found = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackRemove, "stacks/" + name).WithFields(("stack", name)),
            async ct =>
            {
                found = await ManagedAsync(name, ct);
                return await DecideAsync(caller.Principal, Operation.StackRemove, name, found.Collections, ct);
            },
            async ct =>
            {
                var removal = found!.Manager is { } manager
                    ? await RemoveFromSwarmAsync(manager, name, found.Services, ct)
                    : throw DomainException.Unavailable("No swarm manager is reachable.");
                await using var db = await contexts.CreateDbContextAsync(ct);
                await db.Stacks.Where(s => s.Name == name).ExecuteDeleteAsync(ct);
                LogRemoved(logger, name, removal.Services.Count);
                return removal;
            },
            cancellationToken,
            resultOf: removal => AuditedResult.Of(("services", string.Join(",", removal.Services)), ("warnings", removal.Warnings.Count == 0 ? null : string.Join("; ", removal.Warnings))));
    }

    /// <summary>
    /// Takes a stack made outside Dockyard under management in <paramref name="collection"/> (default: the caller's
    /// private collection): the caller must see every service and may deploy there. No revision until the next deploy.
    /// </summary>
    public async Task<StackDetailView> AdoptAsync(Caller caller, string name, string? collection, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackFound? found = null;
        CollectionPath? target = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackAdopt, "stacks/" + name).WithFields(("stack", name), ("collection", collection)),
            async ct =>
            {
                found = await reader.FindAsync(name, ct);
                if (found.Record is not null)
                {
                    throw DomainException.Conflict($"Stack {name} is already managed by Dockyard.");
                }

                foreach (var serviceCollection in found.Collections)
                {
                    await decisions.RequireAsync(caller.Principal, Operation.StackView, Operation.StackView, ResourceKind.Stack, serviceCollection, $"stack {name}", ct);
                }

                target = CollectionOf(caller.Principal, collection, null);
                return await DecideAsync(caller.Principal, Operation.StackDeploy, name, [target], ct);
            },
            async ct =>
            {
                await using (var db = await contexts.CreateDbContextAsync(ct))
                {
                    var now = time.GetUtcNow();
                    db.Stacks.Add(new StackEntity { Name = name, Collection = target!.Value, Owner = caller.Principal.Name, CurrentRevision = 0, CreatedAt = now, UpdatedAt = now });
                    await db.SaveChangesAsync(ct);
                }

                return await reader.DetailAsync(await reader.FindAsync(name, ct), ct);
            },
            cancellationToken);
    }

    private async Task<StackRemoval> RemoveFromSwarmAsync(EngineClient manager, string name, IReadOnlyList<ServiceSummary> services, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var label = new EngineFilters().Add("label", $"{StackLabels.Namespace}={name}");
        var removedServices = new List<string>();
        foreach (var service in services)
        {
            try
            {
                await new ServiceClient(manager).RemoveAsync(service.Id, cancellationToken);
                removedServices.Add(service.Name);
            }
            catch (EngineApiException error) when (error.Kind == EngineErrorKind.NotFound)
            {
            }
        }

        var secrets = await RemoveObjectsAsync(new SwarmObjectClient(manager, SwarmObjectKind.Secret), label, warnings, cancellationToken);
        var configs = await RemoveObjectsAsync(new SwarmObjectClient(manager, SwarmObjectKind.Config), label, warnings, cancellationToken);

        // A network stays in use until the removed services' tasks are gone: retry for a few seconds, as tasks stop.
        var networks = new List<string>();
        var client = new NetworkClient(manager);
        var pending = (await client.ListAsync(label, cancellationToken)).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            foreach (var network in pending.ToList())
            {
                try
                {
                    await client.RemoveAsync(network.Id, cancellationToken);
                    networks.Add(network.Name);
                    pending.Remove(network);
                }
                catch (EngineApiException error) when (attempt >= 20)
                {
                    warnings.Add($"network {network.Name}: {error.Message}");
                    pending.Remove(network);
                }
                catch (EngineApiException)
                {
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            }
        }

        return new StackRemoval(name, removedServices, networks, secrets, configs, warnings);
    }

    private static async Task<List<string>> RemoveObjectsAsync(SwarmObjectClient client, EngineFilters label, List<string> warnings, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var item in await client.ListAsync(label, cancellationToken))
        {
            try
            {
                await client.RemoveAsync(item.Id, cancellationToken);
                removed.Add(item.Name);
            }
            catch (EngineApiException error)
            {
                warnings.Add($"{item.Name}: {error.Message}");
            }
        }

        return removed;
    }

    /// <summary>A managed stack's service by short name (or full name); 404 when the stack has no such service.</summary>
    private async Task<(StackFound Found, ServiceSummary Service)> ServiceAsync(Principal principal, string name, string service, CancellationToken cancellationToken)
    {
        var found = await ManagedAsync(name, cancellationToken);
        var target = found.Services.FirstOrDefault(s => StackNames.ShortName(name, s.Name) == service || s.Name == service);
        if (target is null)
        {
            // Whether the stack has the service is told only to those who may view the stack.
            foreach (var collection in found.Collections)
            {
                await decisions.RequireAsync(principal, Operation.StackView, Operation.StackView, ResourceKind.Stack, collection, $"stack {name}", cancellationToken);
            }

            throw DomainException.NotFound($"Stack {name} has no service {service}.");
        }

        return (found, target);
    }

    /// <summary>A pull credential for the service's image when Dockyard hosts it and the caller may pull it; else none (the engine keeps the service's).</summary>
    private async Task<string?> RegistryAuthAsync(Principal principal, ServiceSummary service, CancellationToken cancellationToken)
    {
        var written = service.Labels.GetValueOrDefault(StackLabels.Image) ?? service.Image;
        if (!images.IsHosted(written))
        {
            return null;
        }

        try
        {
            return (await images.ResolveAsync(principal, [written], new Dictionary<string, string> { [written] = service.Image }, cancellationToken)).RegistryAuth;
        }
        catch (DomainException)
        {
            return null;
        }
    }

    private async Task<StackServiceView> ServiceViewAsync(string name, string service, CancellationToken cancellationToken)
    {
        var detail = await reader.DetailAsync(await reader.FindAsync(name, cancellationToken), cancellationToken);
        return detail.Services.FirstOrDefault(s => s.Name == service) ?? throw DomainException.NotFound($"Stack {name} has no service {service}.");
    }

    [LoggerMessage(EventId = 4642, Level = LogLevel.Information, Message = "Stack {Stack} removed ({Services} services)")]
    private static partial void LogRemoved(ILogger logger, string stack, int services);
}
