using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Webhooks;

/// <summary>Webhook signing secrets (<c>webhooks.secret</c>), sealed by <see cref="SecretProtector"/>.</summary>
internal sealed partial class WebhookSecrets(IDbContextFactory<DockyardDbContext> contexts, ILogger<WebhookSecrets> logger) : IProtectedSecretStore
{
    /// <summary>The column's length (PostgreSQL enforces it).</summary>
    private const int ColumnLength = 256;

    public string Name => "webhook secrets";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.Webhooks.Any(w => w.Secret.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.Webhooks.Where(w => !w.Secret.StartsWith(SecretProtector.Prefix)).ToListAsync(cancellationToken);
        var count = 0;
        foreach (var webhook in clear)
        {
            // Secrets of up to 256 characters were accepted before they were sealed; a long one no longer fits sealed.
            if (SecretProtector.ProtectedLength(Encoding.UTF8.GetByteCount(webhook.Secret)) > ColumnLength)
            {
                LogTooLong(logger, webhook.Id);
                continue;
            }

            webhook.Secret = protector.Protect(webhook.Secret);
            count++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    [LoggerMessage(EventId = 4290, Level = LogLevel.Warning, Message = "Webhook {WebhookId}: its secret is too long to be stored encrypted and stays in clear; rotate it")]
    private static partial void LogTooLong(ILogger logger, long webhookId);
}
