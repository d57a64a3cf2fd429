using Dockyard.Control.Engines;
using Dockyard.Control.Services;
using Dockyard.Control.Stacks;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Reads stacks: Dockyard's records joined with what the swarm runs under each namespace label. A stack with a record
/// is in its record's collection; one found only on the swarm (made by <c>docker stack deploy</c>) is listed as not
/// managed and is visible to those who may view every one of its services' collections. Lists need
/// <see cref="Operation.StackView"/> per collection; a stack the caller may not view is not found.
/// </summary>
internal sealed class StackReader(
    IDbContextFactory<DockyardDbContext> contexts,
    EngineRegistry engines,
    CollectionDecisions decisions,
    Follow.StackUpdateChecker updates)
{
    public async Task<StackListView> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireAuthenticated(caller);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await db.Stacks.AsNoTracking().ToListAsync(cancellationToken);
        var warnings = new List<string>();
        IReadOnlyList<ServiceSummary> services = [];
        if (await ManagerAsync(cancellationToken) is { } manager)
        {
            try
            {
                services = await StackServicesAsync(manager, null, cancellationToken);
            }
            catch (EngineApiException error)
            {
                warnings.Add($"engine {error.Engine}: {error.Message}");
            }
        }
        else
        {
            warnings.Add("No swarm manager is reachable: task counts are unknown.");
        }

        var byStack = services.GroupBy(s => s.Labels[StackLabels.Namespace], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var collections = records.Select(r => CollectionPath.Parse(r.Collection))
            .Concat(services.Select(s => ControlLabels.CollectionOf(s.Labels)));
        var allowed = await decisions.AllowedAsync(caller.Principal, Operation.StackView, ResourceKind.Stack, collections, cancellationToken);
        var items = new List<StackSummaryView>();
        foreach (var record in records.Where(r => allowed.Contains(CollectionPath.Parse(r.Collection))))
        {
            var own = byStack.GetValueOrDefault(record.Name) ?? [];
            items.Add(new StackSummaryView(
                record.Name, record.Collection, record.Version, record.Description, record.SourceUrl, record.SourceRevision, record.Owner, true,
                record.CurrentRevision, own.Count, own.Sum(s => s.RunningTasks), own.Sum(s => s.DesiredTasks), record.UpdatedAt));
        }

        foreach (var (name, own) in byStack.Where(s => records.All(r => r.Name != s.Key)))
        {
            if (own.All(s => allowed.Contains(ControlLabels.CollectionOf(s.Labels))))
            {
                items.Add(new StackSummaryView(
                    name, ControlLabels.CollectionOf(own[0].Labels).Value, null, null, null, null, null, false, 0,
                    own.Count, own.Sum(s => s.RunningTasks), own.Sum(s => s.DesiredTasks), own.Max(s => s.UpdatedAt)));
            }
        }

        return new StackListView([.. items.OrderBy(i => i.Name, StringComparer.Ordinal)], warnings);
    }

    public async Task<StackDetailView> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        RequireAuthenticated(caller);
        var found = await FindAsync(name, cancellationToken);
        foreach (var collection in found.Collections)
        {
            await decisions.RequireAsync(caller.Principal, Operation.StackView, Operation.StackView, ResourceKind.Stack, collection, $"stack {name}", cancellationToken);
        }

        return await DetailAsync(found, cancellationToken);
    }

    /// <summary>
    /// The stack named <paramref name="name"/>: its record (null when not managed), its services on the swarm and the
    /// collections that decide access (the record's, and every service's). 404 when neither exists.
    /// </summary>
    public async Task<StackFound> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!StackNames.IsValid(name))
        {
            throw DomainException.NotFound($"Stack {name} not found.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.Stacks.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
        var manager = await ManagerAsync(cancellationToken);
        IReadOnlyList<ServiceSummary> services = manager is null ? [] : await StackServicesAsync(manager, name, cancellationToken);
        if (record is null && services.Count == 0)
        {
            throw DomainException.NotFound($"Stack {name} not found.");
        }

        var collections = new List<CollectionPath>();
        if (record is not null)
        {
            collections.Add(CollectionPath.Parse(record.Collection));
        }

        collections.AddRange(services.Select(s => ControlLabels.CollectionOf(s.Labels)));
        return new StackFound(name, record, services, [.. collections.Distinct()], manager);
    }

    public async Task<StackDetailView> DetailAsync(StackFound found, CancellationToken cancellationToken)
    {
        var record = found.Record;
        var follows = new List<StackFollowEntity>();
        if (record is not null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            follows = await db.StackFollows.AsNoTracking().Where(f => f.StackId == record.Id).ToListAsync(cancellationToken);
        }

        var warnings = new List<string>();
        if (found.Manager is null)
        {
            warnings.Add("No swarm manager is reachable: the services are unknown.");
        }

        var updatesAvailable = await updates.CheckAsync(
            [.. found.Services.Select(s => new Follow.StackImageCheck(s.Name, s.Image, s.Labels.GetValueOrDefault(StackLabels.Image)))], cancellationToken);
        var services = new List<StackServiceView>();
        foreach (var service in found.Services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var shortName = StackNames.ShortName(found.Name, service.Name);
            string? message = null;
            try
            {
                message = (await new ServiceClient(found.Manager!).InspectAsync(service.Id, cancellationToken)).UpdateMessage;
            }
            catch (EngineApiException error) when (error.Kind == EngineErrorKind.NotFound)
            {
                continue;
            }

            var follow = follows.FirstOrDefault(f => f.Service == shortName);
            // Followed or not: the tag it was deployed from points elsewhere now (null when that cannot be said).
            var available = updatesAvailable.GetValueOrDefault(service.Name);

            services.Add(new StackServiceView(
                service.Name, shortName, service.Labels.GetValueOrDefault(StackLabels.Image), service.Image, service.Mode, service.Replicas,
                service.RunningTasks, service.DesiredTasks, service.UpdateState, message,
                follow is null ? null : $"{follow.Repository}:{follow.Tag}", available));
        }

        return new StackDetailView(
            found.Name,
            record?.Collection ?? found.Collections.FirstOrDefault()?.Value ?? ControlLabels.Unlabeled.Value,
            record?.Version, record?.Description, record?.SourceUrl, record?.SourceRevision, record?.Owner, record is not null,
            record?.CurrentRevision ?? 0, record?.CreatedAt, record?.UpdatedAt ?? found.Services.Max(s => s.UpdatedAt), services, warnings);
    }

    /// <summary>A reachable manager's client, or null.</summary>
    public async Task<EngineClient?> ManagerAsync(CancellationToken cancellationToken)
    {
        await engines.EnsureLoadedAsync(cancellationToken);
        return engines.GetManager();
    }

    /// <summary>The services carrying a stack namespace label (of <paramref name="stack"/>, or of any stack when null).</summary>
    public static async Task<IReadOnlyList<ServiceSummary>> StackServicesAsync(EngineClient manager, string? stack, CancellationToken cancellationToken)
    {
        var filters = new EngineFilters().Add("label", stack is null ? StackLabels.Namespace : $"{StackLabels.Namespace}={stack}");
        var services = await new ServiceClient(manager).ListAsync(filters, cancellationToken);
        return [.. services.Where(s => s.Labels.ContainsKey(StackLabels.Namespace))];
    }

    private static void RequireAuthenticated(Caller caller)
    {
        if (!caller.Principal.IsAuthenticated)
        {
            throw DomainException.Unauthenticated("Authentication required.");
        }
    }
}
