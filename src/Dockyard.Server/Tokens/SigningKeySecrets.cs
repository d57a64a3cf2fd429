using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tokens;

/// <summary>The private keys in <c>signing_keys</c>, sealed by <see cref="SecretProtector"/> (see <see cref="SigningKeyStore"/>).</summary>
internal sealed class SigningKeySecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    public string Name => "token-signing keys";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.SigningKeys.Any(k => k.PrivateKeyPem.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.SigningKeys.Where(k => !k.PrivateKeyPem.StartsWith(SecretProtector.Prefix)).ToListAsync(cancellationToken);
        foreach (var key in clear)
        {
            key.PrivateKeyPem = protector.Protect(key.PrivateKeyPem);
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }
}
