using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Auth;

/// <summary>The data-protection keys in <c>settings</c> (<see cref="DatabaseKeyRing"/>), sealed by <see cref="SecretProtector"/>.</summary>
internal sealed class KeyRingSecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    public string Name => "data-protection keys";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.Settings.Any(s => s.Key.StartsWith(DatabaseKeyRing.Prefix) && s.ValueJson.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.Settings
            .Where(s => s.Key.StartsWith(DatabaseKeyRing.Prefix) && !s.ValueJson.StartsWith(SecretProtector.Prefix))
            .ToListAsync(cancellationToken);
        foreach (var row in clear)
        {
            row.ValueJson = protector.Protect(row.ValueJson);
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }
}
