using System.Security.Cryptography;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tokens;

/// <summary>
/// The token-signing keys in <c>signing_keys</c>, shared by all replicas. The newest active key signs; a
/// retired key keeps verifying until every token it signed has expired (retirement + token lifetime + skew),
/// then rotation deletes it. The first token ever issued creates the first key. Keys are cached and re-read
/// every <see cref="RefreshInterval"/> (so replicas pick up a rotation). A token with an unknown kid (signed by a key
/// another replica just created or rotated in) makes this replica re-read the keys at once, so it is never rejected
/// for being newer than the cache; such re-reads are coalesced and at most one per <see cref="UnknownKidReloadSpacing"/>,
/// which bounds what a flood of made-up kids can cost. Private keys are stored sealed by <see cref="SecretProtector"/>
/// (<see cref="SigningKeySecrets"/>), so the database alone cannot sign a token.
/// </summary>
internal sealed partial class SigningKeyStore(
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<AuthOptions> options,
    TimeProvider time,
    Audit.AuditedOperations audited,
    SecretProtector protector,
    ILogger<SigningKeyStore> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan UnknownKidReloadSpacing = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private volatile KeySet? _keys;

    public async ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(RefreshInterval, cancellationToken);
        if (keys.Signing is { } signing)
        {
            return signing;
        }

        await CreateKeyAsync(retireOthers: false, cancellationToken);
        keys = await GetKeysAsync(TimeSpan.Zero, cancellationToken);
        return keys.Signing ?? throw new InvalidOperationException("No signing key after creating one.");
    }

    /// <summary>The key with <paramref name="kid"/> if it may still verify tokens, else null.</summary>
    public async ValueTask<ECDsa?> FindVerificationKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(RefreshInterval, cancellationToken);
        if (!keys.Verifying.TryGetValue(kid, out var key))
        {
            keys = await ReloadAfterAsync(time.GetUtcNow(), cancellationToken);
            keys.Verifying.TryGetValue(kid, out key);
        }

        return key is not null && IsUsable(key) ? key.Key : null;
    }

    /// <summary>
    /// Creates a new signing key, retires the current ones, deletes keys that can no longer verify anything (system
    /// administrators with full rights; the system). Authorized and recorded here (<c>keys.rotate</c>, resource
    /// <c>keys/{kid}</c>; a refusal as <c>keys</c>), whether the API or <c>dockyard keys rotate</c> called.
    /// </summary>
    public Task<string> RotateAsync(Audit.Caller caller, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new Audit.AuditedAction(Audit.AuditActions.KeyRotate, "keys"),
            // Repository-scoped access tokens never carry system administration, even an admin's.
            _ => Task.FromResult(caller.Principal is { IsAdmin: true, Scopes: null }
                ? Audit.AccessDecision.Allowed
                : Audit.AccessDecisions.Forbidden("Only system administrators can rotate signing keys.")),
            async token =>
            {
                var kid = await CreateKeyAsync(retireOthers: true, token);
                await GetKeysAsync(TimeSpan.Zero, token);
                LogRotated(logger, kid);
                return kid;
            },
            cancellationToken,
            kid => $"keys/{kid}");

    private bool IsUsable(SigningKey key) =>
        key.RetiredAt is not { } retired || retired + VerificationGrace > time.GetUtcNow();

    private TimeSpan VerificationGrace => options.Value.TokenLifetime + RegistryTokenValidator.ClockSkew;

    private async Task<string> CreateKeyAsync(bool retireOthers, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = KidOf(key);
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (retireOthers)
        {
            foreach (var active in await db.SigningKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken))
            {
                active.RetiredAt = now;
            }

            var expired = now - VerificationGrace;
            db.SigningKeys.RemoveRange(await db.SigningKeys.Where(k => k.RetiredAt != null && k.RetiredAt < expired).ToListAsync(cancellationToken));
        }

        db.SigningKeys.Add(new SigningKeyEntity { Kid = kid, Algorithm = CompactJws.Algorithm, PrivateKeyPem = protector.Protect(key.ExportPkcs8PrivateKeyPem()), CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, kid);
        return kid;
    }

    /// <summary>RFC 7638-style identifier: base64url SHA-256 of the public key (SubjectPublicKeyInfo), truncated.</summary>
    internal static string KidOf(ECDsa key) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 24));

    private async ValueTask<KeySet> GetKeysAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && time.GetUtcNow() - keys.LoadedAt < maxAge)
        {
            return keys;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            keys = _keys;
            if (keys is not null && time.GetUtcNow() - keys.LoadedAt < maxAge)
            {
                return keys;
            }

            return await LoadAsync(keys, cancellationToken);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Keys read from the database no earlier than <paramref name="arrivedAt"/> (a load that started since then is reused).</summary>
    private async ValueTask<KeySet> ReloadAfterAsync(DateTimeOffset arrivedAt, CancellationToken cancellationToken)
    {
        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            var keys = _keys;
            if (keys is not null && keys.LoadedAt >= arrivedAt)
            {
                return keys;
            }

            var wait = keys is null ? TimeSpan.Zero : keys.LoadedAt + UnknownKidReloadSpacing - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            return await LoadAsync(keys, cancellationToken);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Reads the keys; the caller holds <see cref="_loadLock"/>. LoadedAt is when the read started, so anything committed before it is in.</summary>
    private async ValueTask<KeySet> LoadAsync(KeySet? keys, CancellationToken cancellationToken)
    {
        var loadStartedAt = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.Algorithm == CompactJws.Algorithm).ToListAsync(cancellationToken);
        var loaded = rows.Select(r =>
        {
            // Reuse already-loaded key objects: they may be in use by a concurrent sign/verify.
            if (keys?.Verifying.TryGetValue(r.Kid, out var existing) == true)
            {
                return existing with { RetiredAt = r.RetiredAt };
            }

            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(protector.Unprotect(r.PrivateKeyPem));
            return new SigningKey(r.Kid, ecdsa, r.CreatedAt, r.RetiredAt);
        }).ToDictionary(k => k.Kid, StringComparer.Ordinal);
        var signing = loaded.Values.Where(k => k.RetiredAt is null)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Kid, StringComparer.Ordinal).FirstOrDefault();
        keys = new KeySet(signing, loaded, loadStartedAt);
        _keys = keys;
        return keys;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Created token signing key {Kid}")]
    private static partial void LogCreated(ILogger logger, string kid);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Rotated token signing key: {Kid} signs from now on; retired keys verify until their tokens expire")]
    private static partial void LogRotated(ILogger logger, string kid);

    private sealed record KeySet(SigningKey? Signing, IReadOnlyDictionary<string, SigningKey> Verifying, DateTimeOffset LoadedAt);
}
