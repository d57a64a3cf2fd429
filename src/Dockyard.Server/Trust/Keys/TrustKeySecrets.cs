using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Keys;

/// <summary>The private parts of keys Dockyard signs with (<c>trust_keys.private_key</c>), sealed by <see cref="SecretProtector"/> (see <see cref="TrustKeyService"/>).</summary>
internal sealed class TrustKeySecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    public string Name => "trusted signing keys";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.TrustKeys.Any(k => k.PrivateKey != null && k.PrivateKey.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.TrustKeys.Where(k => k.PrivateKey != null && !k.PrivateKey.StartsWith(SecretProtector.Prefix)).ToListAsync(cancellationToken);
        foreach (var key in clear)
        {
            key.PrivateKey = protector.Protect(key.PrivateKey!);
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }
}
