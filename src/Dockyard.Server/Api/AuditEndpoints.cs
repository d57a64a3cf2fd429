using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/audit</c>: the audit trail. System administrators see every entry; organization owners see the
/// entries of the organizations they own (repositories in the namespace, the organization's own objects); anyone
/// else gets 403. List with filters and keyset pagination (<c>after</c>, <c>limit</c> ≤ 1000), one entry by id,
/// streamed export (CSV or JSON Lines), and chain verification (system administrators).
/// </summary>
internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        audit.MapGet("/", ListAsync).WithName("ListAuditEntries")
            .WithSummary("Entries matching from, to, actor, action (exact, or prefix ending in * or .), repository, outcome, hideSignIns (leave out successful sign-ins and token issues); after an id, up to limit (≤ 1000).");
        audit.MapGet("/export", ExportAsync).WithName("ExportAuditEntries").WithSummary("Stream matching entries (the list's filters) as format=csv or format=jsonl.");
        audit.MapGet("/{id:long}", GetAsync).WithName("GetAuditEntry").WithSummary("One entry with every field (request id, user agent, details, hash); 404 when it does not exist or is outside the caller's organizations.");
        audit.MapGet("/verify", VerifyAsync).WithName("VerifyAuditTrail").WithSummary("Check the hash chain; names the first broken entry (system administrators).");
    }

    private static async Task<IResult> ListAsync(
        HttpContext context,
        IDbContextFactory<DockyardDbContext> contexts,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? actor,
        string? action,
        string? repository,
        string? outcome,
        bool? hideSignIns,
        long? after,
        int? limit,
        CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
        {
            return ApiResults.Invalid("limit", $"Between 1 and {MaxLimit}.");
        }

        var (scope, denied) = await ScopeAsync(context, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var filter = new AuditFilter { From = from, To = to, Actor = actor, Action = action, Repository = repository, Outcome = outcome, HideSignIns = hideSignIns ?? false, After = after, Organizations = scope };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await filter.Apply(db.AuditEntries.AsNoTracking()).Take(take).ToListAsync(cancellationToken);
        var next = entries.Count == take ? entries[^1].Id : (long?)null;
        return Results.Ok(new AuditPage([.. entries.Select(AuditEntryResponse.From)], next));
    }

    private static async Task<IResult> ExportAsync(
        HttpContext context,
        string? format,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? actor,
        string? action,
        string? repository,
        string? outcome,
        bool? hideSignIns,
        long? after,
        CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<AuditExportFormat>(format ?? "jsonl", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return ApiResults.Invalid("format", "csv or jsonl.");
        }

        var (scope, denied) = await ScopeAsync(context, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var filter = new AuditFilter { From = from, To = to, Actor = actor, Action = action, Repository = repository, Outcome = outcome, HideSignIns = hideSignIns ?? false, After = after, Organizations = scope };
        await AuditScope.WriteExportAsync(context, filter, parsed, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> GetAsync(HttpContext context, IDbContextFactory<DockyardDbContext> contexts, long id, CancellationToken cancellationToken)
    {
        var (scope, denied) = await ScopeAsync(context, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        // The owner's scope applies as in the list: an entry of another organization is as absent as a missing one.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entry = await new AuditFilter { Organizations = scope }.Apply(db.AuditEntries.AsNoTracking()).Where(e => e.Id == id).FirstOrDefaultAsync(cancellationToken);
        return entry is null ? ApiResults.NotFound($"Audit entry {id} not found.") : Results.Ok(AuditEntryResponse.From(entry));
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, AccessAuthorizer authorizer, AuditVerifier verifier, CancellationToken cancellationToken)
    {
        if (!await authorizer.IsSystemAdministratorAsync(context.GetPrincipal(), cancellationToken))
        {
            return ApiPrincipal.Forbidden("Only system administrators may verify the audit trail.");
        }

        return Results.Ok(await verifier.VerifyAsync(progress: null, cancellationToken));
    }

    /// <summary>Null scope for system administrators; the owned organizations' names for owners; 403 otherwise.</summary>
    private static async Task<(IReadOnlyList<string>? Scope, IResult? Denied)> ScopeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (allowed, organizations) = await AuditScope.ResolveAsync(
            context.GetPrincipal(),
            context.RequestServices.GetRequiredService<AccessAuthorizer>(),
            context.RequestServices.GetRequiredService<IDbContextFactory<DockyardDbContext>>(),
            cancellationToken);
        return allowed ? (organizations, null) : (null, ApiPrincipal.Forbidden("Only system administrators and organization owners may read the audit trail."));
    }

    internal sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Entries, long? NextAfter);
}
