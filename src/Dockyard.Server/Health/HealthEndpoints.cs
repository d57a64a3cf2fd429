using Dockyard.Registry.Storage;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Health;

/// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: the database and storage answer, so traffic may come.</summary>
internal static partial class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(
        IDbContextFactory<DockyardDbContext> contexts,
        IStorageDriver storage,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return Results.Text("database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            await storage.StatAsync(StoragePaths.BlobsRoot, cancellationToken);
            return Results.Text("ready");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotReady(loggers.CreateLogger("Dockyard.Server.Health"), ex);
            return Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Readiness check failed")]
    private static partial void LogNotReady(ILogger logger, Exception exception);
}
