using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// The sealed columns of <c>stack_revisions</c> (secret environment, attachments) as a store of the secret protector:
/// a sealed value there keeps start-up from creating a new key that could not open it.
/// </summary>
internal sealed class StackRevisionSecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    public string Name => "stack secrets";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.StackRevisions.Any(r => r.SecretEnvironment!.StartsWith(SecretProtector.Prefix) || r.Attachments!.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        // Revisions are written sealed from the start; this seals a value that reached the table otherwise (a restore).
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.StackRevisions
            .Where(r => (r.SecretEnvironment != null && !r.SecretEnvironment.StartsWith(SecretProtector.Prefix))
                || (r.Attachments != null && !r.Attachments.StartsWith(SecretProtector.Prefix)))
            .ToListAsync(cancellationToken);
        foreach (var revision in clear)
        {
            if (revision.SecretEnvironment is { } environment && !SecretProtector.IsProtected(environment))
            {
                revision.SecretEnvironment = protector.Protect(environment);
            }

            if (revision.Attachments is { } attachments && !SecretProtector.IsProtected(attachments))
            {
                revision.Attachments = protector.Protect(attachments);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }
}
