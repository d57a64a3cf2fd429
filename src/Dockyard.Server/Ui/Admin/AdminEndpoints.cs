using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// The administration UI's one non-page endpoint: the audit log download (<c>/audit/export</c>), authorized with
/// the signed-in UI user exactly like the API's export (<see cref="AuditScope"/>: system administrators
/// everything, organization owners their organizations' entries, anyone else 403) and streamed by the same code.
/// </summary>
internal static class AdminEndpoints
{
    public const string AuditExportPath = "/audit/export";

    public static void Map(WebApplication app) =>
        app.MapGet(AuditExportPath, ExportAsync).ExcludeFromDescription();

    private static async Task<IResult> ExportAsync(
        HttpContext context,
        AccessAuthorizer authorizer,
        IDbContextFactory<DockyardDbContext> contexts,
        string? format,
        CancellationToken cancellationToken)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        }

        if (!Enum.TryParse<AuditExportFormat>(format ?? "csv", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return Results.BadRequest("format: csv or jsonl.");
        }

        var (allowed, organizations) = await AuditScope.ResolveAsync(principal, authorizer, contexts, cancellationToken);
        if (!allowed)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var (filter, error) = AuditQuery.Of(context.Request.Query).ToFilter(organizations);
        if (filter is null)
        {
            return Results.BadRequest(error);
        }

        await AuditScope.WriteExportAsync(context, filter, parsed, cancellationToken);
        return Results.Empty;
    }
}
