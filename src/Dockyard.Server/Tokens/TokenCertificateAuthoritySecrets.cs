using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tokens;

/// <summary>The token CA's private key in <c>settings</c> (<see cref="TokenCertificateAuthority"/>), sealed by <see cref="SecretProtector"/>.</summary>
internal sealed class TokenCertificateAuthoritySecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    public string Name => "token CA key";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        return db.Settings.Any(s => s.Key == TokenCertificateAuthority.PrivateKeyKey && s.ValueJson.StartsWith(SecretProtector.Prefix));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clear = await db.Settings
            .Where(s => s.Key == TokenCertificateAuthority.PrivateKeyKey && !s.ValueJson.StartsWith(SecretProtector.Prefix))
            .ToListAsync(cancellationToken);
        foreach (var row in clear)
        {
            row.ValueJson = protector.Protect(row.ValueJson);
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }
}
