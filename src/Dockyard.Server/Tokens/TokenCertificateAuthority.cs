using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Dockyard's token CA: a self-signed ECDSA P-256 certificate authority and, for every token-signing key, a leaf
/// certificate it issued. Every token carries <c>x5c: [leaf, CA]</c> in its header, so a distribution-style token
/// verifier (notary-server's <c>auth.options.rootcertbundle</c>) trusts our tokens from the CA certificate alone and
/// follows key rotation without reconfiguration. Created on first need and kept in the <c>settings</c> table, shared by
/// every replica: the CA certificate in clear, its private key sealed by <see cref="SecretProtector"/>
/// (<see cref="TokenCertificateAuthoritySecrets"/>), one leaf certificate per key id. Replicas creating either at once
/// race on the primary key; the loser reads the winner's.
/// </summary>
internal sealed partial class TokenCertificateAuthority(
    IDbContextFactory<DockyardDbContext> contexts,
    SecretProtector protector,
    TimeProvider time,
    ILogger<TokenCertificateAuthority> logger)
{
    public const string CertificateKey = "token-ca/certificate";
    public const string PrivateKeyKey = "token-ca/key";
    public const string LeafPrefix = "token-ca/leaf/";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(20 * 365);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _chains = new(StringComparer.Ordinal);
    private string? _caPem;

    /// <summary>The CA certificate as PEM (what notary-server's <c>rootcertbundle</c> file holds); created when there is none.</summary>
    public async Task<string> GetCertificatePemAsync(CancellationToken cancellationToken)
    {
        if (_caPem is { } cached)
        {
            return cached;
        }

        using var ca = await LoadOrCreateCaAsync(cancellationToken);
        _caPem = ca.ExportCertificatePem();
        return _caPem;
    }

    /// <summary>The <c>x5c</c> header value for tokens signed by <paramref name="key"/>: base64 DER of its leaf, then of the CA.</summary>
    public async ValueTask<IReadOnlyList<string>> GetChainAsync(SigningKey key, CancellationToken cancellationToken)
    {
        if (_chains.TryGetValue(key.Kid, out var chain))
        {
            return chain;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_chains.TryGetValue(key.Kid, out chain))
            {
                return chain;
            }

            using var ca = await LoadOrCreateCaAsync(cancellationToken);
            var leafPem = await ReadAsync(LeafPrefix + key.Kid, cancellationToken) ?? await CreateLeafAsync(ca, key, cancellationToken);
            using var leaf = X509Certificate2.CreateFromPem(leafPem);
            chain = [Convert.ToBase64String(leaf.RawData), Convert.ToBase64String(ca.RawData)];
            _chains[key.Kid] = chain;
            return chain;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<X509Certificate2> LoadOrCreateCaAsync(CancellationToken cancellationToken)
    {
        if (await LoadCaAsync(cancellationToken) is { } existing)
        {
            return existing;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=Dockyard token CA"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddHours(-1), now + CaLifetime, PositiveSerial());
        var rows = new[]
        {
            new SettingEntity { Key = CertificateKey, ValueJson = certificate.ExportCertificatePem(), UpdatedAt = now },
            new SettingEntity { Key = PrivateKeyKey, ValueJson = protector.Protect(key.ExportPkcs8PrivateKeyPem()), UpdatedAt = now },
        };
        if (await TryInsertAsync(rows, cancellationToken))
        {
            LogCaCreated(logger, certificate.Thumbprint);
        }

        return await LoadCaAsync(cancellationToken) ?? throw new InvalidOperationException("The token CA is missing after creating it.");
    }

    private async Task<X509Certificate2?> LoadCaAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == CertificateKey || s.Key == PrivateKeyKey)
            .ToDictionaryAsync(s => s.Key, s => s.ValueJson, StringComparer.Ordinal, cancellationToken);
        if (!rows.TryGetValue(CertificateKey, out var certificatePem) || !rows.TryGetValue(PrivateKeyKey, out var keyPem))
        {
            return null;
        }

        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var key = ECDsa.Create();
        key.ImportFromPem(protector.Unprotect(keyPem));
        return certificate.CopyWithPrivateKey(key);
    }

    private async Task<string> CreateLeafAsync(X509Certificate2 ca, SigningKey key, CancellationToken cancellationToken)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN=Dockyard token signing key {key.Kid}"), key.Key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        // Valid while the key may sign or verify (the CA's lifetime): retirement, not expiry, ends a key.
        var notBefore = key.CreatedAt.AddHours(-1) < ca.NotBefore ? new DateTimeOffset(ca.NotBefore) : key.CreatedAt.AddHours(-1);
        using var leaf = request.Create(ca, notBefore, new DateTimeOffset(ca.NotAfter), PositiveSerial());
        var pem = leaf.ExportCertificatePem();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Leaves of keys rotation has deleted go with the next new leaf.
        var kids = await db.SigningKeys.AsNoTracking().Select(k => LeafPrefix + k.Kid).ToListAsync(cancellationToken);
        db.Settings.RemoveRange(await db.Settings.Where(s => s.Key.StartsWith(LeafPrefix) && !kids.Contains(s.Key)).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await TryInsertAsync([new SettingEntity { Key = LeafPrefix + key.Kid, ValueJson = pem, UpdatedAt = time.GetUtcNow() }], cancellationToken);
        return await ReadAsync(LeafPrefix + key.Kid, cancellationToken) ?? pem;
    }

    /// <summary>16 random bytes, top bit clear: Go's x509 parser refuses negative serial numbers.</summary>
    private static byte[] PositiveSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return serial;
    }

    private async Task<string?> ReadAsync(string settingKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Settings.AsNoTracking().Where(s => s.Key == settingKey).Select(s => s.ValueJson).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Inserts the rows in one transaction; false when another replica inserted them first.</summary>
    private async Task<bool> TryInsertAsync(IReadOnlyList<SettingEntity> rows, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Settings.AddRange(rows);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Created the token CA (certificate {Thumbprint}); export it with `dockyard trust notary-ca`")]
    private static partial void LogCaCreated(ILogger logger, string thumbprint);
}
