using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control;

/// <summary>
/// Engine management, for system administrators. Changes take the <see cref="Caller"/> and are authorized and
/// recorded here (<see cref="AuditedOperations"/>: <c>engine.create</c>, <c>engine.delete</c>, success, failure and
/// refusal alike), whoever calls. Engines from configuration are listed but never changed here. Callers get
/// <see cref="EngineView"/>s; an unreachable engine is a status in it, not an error.
/// </summary>
internal sealed class EngineService(
    IDbContextFactory<DockyardDbContext> contexts,
    EngineRegistry registry,
    ControlDecisions decisions,
    AuditedOperations audited,
    TimeProvider time)
{
    private const string Manage = "manage engines";

    public async Task<IReadOnlyList<EngineView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        await decisions.RequireAdministratorAsync(caller.Principal, "view engines", cancellationToken);
        await registry.EnsureLoadedAsync(cancellationToken);
        return [.. registry.List().Select(EngineView.From)];
    }

    /// <summary>The engine with a fresh status (one probe, bounded by the probe timeout).</summary>
    public async Task<EngineView> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        await decisions.RequireAdministratorAsync(caller.Principal, "view engines", cancellationToken);
        await registry.EnsureLoadedAsync(cancellationToken);
        var engine = await registry.RefreshAsync(name, cancellationToken) ?? throw DomainException.NotFound(NotFound(name));
        return EngineView.From(engine);
    }

    public async Task<EngineView> CreateAsync(Caller caller, NewEngine? engine, CancellationToken cancellationToken)
    {
        var created = await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.EngineCreate, "engines/" + engine?.Name).WithFields(("name", engine?.Name), ("endpoint", engine?.Endpoint)),
            token => decisions.AdministerAsync(caller.Principal, Manage, token),
            token => CreateAsync(engine ?? throw DomainException.Invalid("request", "Send a JSON body."), caller.Principal.Name, token),
            cancellationToken);
        return created;
    }

    public Task DeleteAsync(Caller caller, string name, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.EngineDelete, "engines/" + name),
            token => decisions.AdministerAsync(caller.Principal, Manage, token),
            token => DeleteAsync(name, token),
            cancellationToken);

    private static string NotFound(string name) => $"Engine '{name}' not found.";

    private async Task<EngineView> CreateAsync(NewEngine engine, string createdBy, CancellationToken cancellationToken)
    {
        var definition = EngineRules.Validate(engine.Name, engine.Endpoint, engine.CaFile, engine.CertFile, engine.KeyFile);
        await registry.EnsureLoadedAsync(cancellationToken);
        if (registry.Find(definition.Name) is { Definition.IsConfigured: true })
        {
            throw DomainException.Conflict($"Engine '{definition.Name}' is configured in {ControlOptions.Section}:Engines; choose another name.");
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Engines.AnyAsync(e => e.Name == definition.Name, cancellationToken))
            {
                throw DomainException.Conflict($"An engine named '{definition.Name}' already exists.");
            }

            db.Engines.Add(new EngineEntity
            {
                Name = definition.Name,
                Endpoint = definition.Endpoint.OriginalString,
                CaFile = definition.Tls?.CaFile,
                CertFile = definition.Tls?.CertFile,
                KeyFile = definition.Tls?.KeyFile,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = createdBy,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                throw DomainException.Conflict($"An engine named '{definition.Name}' already exists.");
            }
        }

        await registry.ReloadAsync(cancellationToken);
        registry.RequestRefresh();
        return EngineView.From(registry.Find(definition.Name) ?? throw new InvalidOperationException("The engine just added is not in the registry."));
    }

    private async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        if (registry.Find(name) is { Definition.IsConfigured: true })
        {
            throw DomainException.Conflict($"Engine '{name}' comes from configuration ({ControlOptions.Section}:Engines): remove it there and restart, it cannot be deleted through the API.");
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Engines.Where(e => e.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                throw DomainException.NotFound(NotFound(name));
            }
        }

        await registry.ReloadAsync(cancellationToken);
    }
}
