using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Audit;

/// <summary>
/// Which audit entries a caller may read, for the API and the web UI, as the authorizer decides it
/// (<see cref="AccessAuthorizer.GetAuditReadScopeAsync"/>): system administrators see everything; organization owners
/// (with full rights) see the entries of the organizations they own; anyone else sees nothing.
/// </summary>
internal static class AuditScope
{
    /// <summary>
    /// <c>Allowed</c> false: no access. Otherwise <c>Organizations</c> is null for everything, or the owned
    /// organizations' names to put in <see cref="AuditFilter.Organizations"/>.
    /// </summary>
    public static async Task<(bool Allowed, IReadOnlyList<string>? Organizations)> ResolveAsync(
        Principal principal,
        AccessAuthorizer authorizer,
        IDbContextFactory<DockyardDbContext> contexts,
        CancellationToken cancellationToken)
    {
        // The authorizer reads the account itself; the factory stays in the signature for the existing callers.
        _ = contexts;
        var scope = await authorizer.GetAuditReadScopeAsync(principal, cancellationToken);
        return scope.Everything ? (true, null) : scope.Allowed ? (true, scope.Organizations) : (false, null);
    }

    /// <summary>
    /// Streams an export as the response (the API's and the UI's download): records who exported what first,
    /// committed before the first byte goes out, then sets the download headers and streams.
    /// </summary>
    public static async Task WriteExportAsync(HttpContext context, AuditFilter filter, AuditExportFormat format, CancellationToken cancellationToken)
    {
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        var exporter = context.RequestServices.GetRequiredService<AuditExporter>();
        await trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.AuditExport,
                Resource = "audit",
                Details = System.Text.Json.JsonSerializer.Serialize(filter with { Organizations = null }, AuditEntryResponse.JsonOptions),
            },
            trail.ContextOf(context),
            CancellationToken.None);
        context.Response.ContentType = format == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{format.ToString().ToLowerInvariant()}\"";
        context.Response.Headers.CacheControl = "no-store";
        await exporter.ExportAsync(filter, format, context.Response.Body, progress: null, cancellationToken);
    }
}
