using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Tokens;

public sealed class RegistryTokenValidatorTests : IAsyncLifetime
{
    private static readonly Principal Alice = new() { Kind = PrincipalKind.User, Name = "alice", UserId = 7, AuthMethod = AuthMethods.Password };
    private AuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await AuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private RegistryTokenValidator Validator => _server.Get<RegistryTokenValidator>();

    private SigningKeyStore Keys => _server.Get<SigningKeyStore>();

    [Fact]
    public async Task ValidateAsync_IssuedToken_RoundtripsClaims()
    {
        var issued = await _server.Get<RegistryTokenIssuer>().IssueAsync(Alice, [ResourceScope.Catalog], CancellationToken.None);
        var result = await Validator.ValidateAsync(issued.Token, CancellationToken.None);

        Assert.NotNull(result.Claims);
        Assert.Equal("alice", result.Claims.Principal.Name);
        Assert.Equal(7, result.Claims.Principal.UserId);
        Assert.Equal(PrincipalKind.User, result.Claims.Principal.Kind);
        Assert.Equal("dockyard", result.Claims.Issuer);
        Assert.Equal("dockyard", result.Claims.Audience);
        Assert.Equal(["registry:catalog:*"], result.Claims.Access.Select(a => a.ToString()));
        Assert.Equal(TimeSpan.FromMinutes(5), result.Claims.ExpiresAt - result.Claims.IssuedAt);
    }

    [Fact]
    public async Task ValidateAsync_ScopedPrincipal_KeepsScopes()
    {
        var scoped = Alice with { Scopes = [new TokenScope("alice/**", RepositoryActions.Pull)] };
        var token = await SignAsync(Claims(scoped));
        var result = await Validator.ValidateAsync(token, CancellationToken.None);
        Assert.Equal(RepositoryActions.Pull, Assert.Single(result.Claims!.Principal.Scopes!).Actions);
    }

    [Fact]
    public async Task ValidateAsync_AlgNone_Rejected()
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        var token = $"{B64($"{{\"alg\":\"none\",\"kid\":\"{key.Kid}\"}}")}.{B64(RegistryTokenSerializer.Serialize(Claims(Alice)))}.";
        await AssertRejectedAsync(token);
        await AssertRejectedAsync(token + B64(new byte[64]));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task ValidateAsync_HmacKeyedWithPublicKey_Rejected(string alg)
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        var header = B64($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\",\"kid\":\"{key.Kid}\"}}");
        var payload = B64(RegistryTokenSerializer.Serialize(Claims(Alice)));
        foreach (var secret in new[] { key.Key.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(key.Key.ExportSubjectPublicKeyInfoPem()) })
        {
            var input = Encoding.ASCII.GetBytes($"{header}.{payload}");
            byte[] mac = alg switch
            {
                "HS256" => HMACSHA256.HashData(secret, input),
                "HS384" => HMACSHA384.HashData(secret, input),
                _ => HMACSHA512.HashData(secret, input),
            };
            await AssertRejectedAsync($"{header}.{payload}.{B64(mac)}");
        }
    }

    [Fact]
    public async Task ValidateAsync_Es256HeaderCaseOrOtherAlgorithms_Rejected()
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        foreach (var alg in new[] { "es256", "RS256", "ES384", "PS256" })
        {
            await AssertRejectedAsync(SignWithHeader($"{{\"alg\":\"{alg}\",\"kid\":\"{key.Kid}\"}}", Claims(Alice), key.Key));
        }

        await AssertRejectedAsync(SignWithHeader($"{{\"alg\":\"ES256\"}}", Claims(Alice), key.Key));
        await AssertRejectedAsync(SignWithHeader($"{{\"alg\":\"ES256\",\"kid\":\"{key.Kid}\",\"crit\":[\"exp\"]}}", Claims(Alice), key.Key));
        // The same header, well formed, verifies: the rejections above are about the header alone.
        Assert.NotNull((await Validator.ValidateAsync(SignWithHeader($"{{\"alg\":\"ES256\",\"kid\":\"{key.Kid}\"}}", Claims(Alice), key.Key), CancellationToken.None)).Claims);
    }

    [Fact]
    public async Task ValidateAsync_UnknownKid_Rejected()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await AssertRejectedAsync(CompactJws.Sign(RegistryTokenSerializer.Serialize(Claims(Alice)), SigningKeyStore.KidOf(stranger), stranger));
    }

    [Fact]
    public async Task ValidateAsync_KeyAnotherReplicaJustCreated_AcceptedBeforeTheCacheRefresh()
    {
        await Keys.GetSigningKeyAsync(CancellationToken.None);

        // Another replica (sharing the database) rotates in a key and signs with it; this replica's cache predates it.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = SigningKeyStore.KidOf(other);
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            db.SigningKeys.Add(new SigningKeyEntity { Kid = kid, Algorithm = CompactJws.Algorithm, PrivateKeyPem = other.ExportPkcs8PrivateKeyPem(), CreatedAt = _server.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        _server.Time.Advance(SigningKeyStore.UnknownKidReloadSpacing * 2);
        var result = await Validator.ValidateAsync(CompactJws.Sign(RegistryTokenSerializer.Serialize(Claims(Alice)), kid, other), CancellationToken.None);
        Assert.True(result.Claims is not null, result.Failure);
    }

    [Fact]
    public async Task ValidateAsync_KnownKidWrongKey_Rejected()
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await AssertRejectedAsync(CompactJws.Sign(RegistryTokenSerializer.Serialize(Claims(Alice)), key.Kid, stranger));
    }

    [Fact]
    public async Task ValidateAsync_TamperedPayloadOrSignature_Rejected()
    {
        var token = await SignAsync(Claims(Alice));
        var parts = token.Split('.');
        var admin = B64(RegistryTokenSerializer.Serialize(Claims(Alice with { IsAdmin = true })));
        await AssertRejectedAsync($"{parts[0]}.{admin}.{parts[2]}");
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 1;
        await AssertRejectedAsync($"{parts[0]}.{parts[1]}.{B64(signature)}");
    }

    [Fact]
    public async Task ValidateAsync_Expired_RejectedAfterSkew()
    {
        var issued = await _server.Get<RegistryTokenIssuer>().IssueAsync(Alice, [], CancellationToken.None);
        _server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20));
        Assert.NotNull((await Validator.ValidateAsync(issued.Token, CancellationToken.None)).Claims);
        _server.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("expired", (await Validator.ValidateAsync(issued.Token, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task ValidateAsync_RepeatToken_ServedFromCacheUntilExpiry()
    {
        var cache = _server.Get<RegistryTokenCache>();
        var issued = await _server.Get<RegistryTokenIssuer>().IssueAsync(Alice, [], CancellationToken.None);
        var first = await Validator.ValidateAsync(issued.Token, CancellationToken.None);
        var count = cache.Count;

        var second = await Validator.ValidateAsync(issued.Token, CancellationToken.None);

        Assert.NotNull(first.Claims);
        Assert.Same(first, second);
        Assert.Equal(count, cache.Count);
        Assert.True(cache.TryGet(issued.Token, out _));
        _server.Time.Advance(TimeSpan.FromMinutes(5) + RegistryTokenValidator.ClockSkew);
        Assert.False(cache.TryGet(issued.Token, out _));
        Assert.Equal("expired", (await Validator.ValidateAsync(issued.Token, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task ValidateAsync_TamperedCopyOfCachedToken_StillRejected()
    {
        var token = (await _server.Get<RegistryTokenIssuer>().IssueAsync(Alice, [], CancellationToken.None)).Token;
        Assert.NotNull((await Validator.ValidateAsync(token, CancellationToken.None)).Claims);
        var parts = token.Split('.');
        var forged = RegistryTokenSerializer.Serialize(Claims(Alice with { IsAdmin = true }));

        await AssertRejectedAsync($"{parts[0]}.{B64(forged)}.{parts[2]}");
        await AssertRejectedAsync(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]);
        Assert.False(_server.Get<RegistryTokenCache>().TryGet(token + " ", out _));
    }

    [Fact]
    public void Cache_IsBounded()
    {
        var cache = new RegistryTokenCache(_server.Time);
        var now = _server.Time.GetUtcNow();
        var validation = RegistryTokenValidation.Success(Claims(Alice) with { ExpiresAt = now.AddMinutes(5) });
        for (var i = 0; i < RegistryTokenCache.Capacity + 10; i++)
        {
            cache.Add($"token-{i}", validation);
        }

        Assert.InRange(cache.Count, 1, RegistryTokenCache.Capacity);
        Assert.True(cache.TryGet($"token-{RegistryTokenCache.Capacity + 9}", out _));
        Assert.False(cache.TryGet("never-added", out _));
        cache.Add("failed", RegistryTokenValidation.Fail("bad signature"));
        Assert.False(cache.TryGet("failed", out _));
    }

    [Fact]
    public async Task ValidateAsync_NotYetValid_Rejected()
    {
        var now = _server.Time.GetUtcNow();
        Assert.Equal("not yet valid", (await Validator.ValidateAsync(await SignAsync(Claims(Alice) with { NotBefore = now.AddMinutes(2), ExpiresAt = now.AddMinutes(7) }), CancellationToken.None)).Failure);
        Assert.NotNull((await Validator.ValidateAsync(await SignAsync(Claims(Alice) with { NotBefore = now.AddSeconds(20) }), CancellationToken.None)).Claims);
    }

    [Fact]
    public async Task ValidateAsync_WrongIssuerOrAudience_Rejected()
    {
        Assert.Equal("wrong issuer", (await Validator.ValidateAsync(await SignAsync(Claims(Alice) with { Issuer = "evil" }), CancellationToken.None)).Failure);
        Assert.Equal("wrong audience", (await Validator.ValidateAsync(await SignAsync(Claims(Alice) with { Audience = "other-registry" }), CancellationToken.None)).Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]
    public async Task ValidateAsync_Malformed_Rejected(string token) => await AssertRejectedAsync(token);

    [Fact]
    public async Task ValidateAsync_PaddedOrWhitespaceOrHugeParts_Rejected()
    {
        var token = await SignAsync(Claims(Alice));
        var parts = token.Split('.');
        await AssertRejectedAsync($"{parts[0]}=.{parts[1]}.{parts[2]}");
        await AssertRejectedAsync($"{parts[0]}.{parts[1]} .{parts[2]}");
        await AssertRejectedAsync($"{parts[0]}.{parts[1]}{new string('A', CompactJws.MaxLength)}.{parts[2]}");
    }

    [Fact]
    public async Task ValidateAsync_MissingRequiredClaim_Rejected()
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        var now = _server.Time.GetUtcNow().ToUnixTimeSeconds();
        var payload = Encoding.UTF8.GetBytes($"{{\"iss\":\"dockyard\",\"sub\":\"alice\",\"aud\":\"dockyard\",\"nbf\":{now},\"iat\":{now},\"jti\":\"x\",\"access\":[],\"dky_kind\":\"user\",\"dky_admin\":false,\"dky_amr\":\"password\"}}");
        await AssertRejectedAsync(CompactJws.Sign(payload, key.Kid, key.Key));
    }

    [Fact]
    public async Task RotateAsync_OldTokensVerifyUntilExpiry_NewTokensUseNewKey()
    {
        var issuer = _server.Get<RegistryTokenIssuer>();
        var before = await issuer.IssueAsync(Alice, [], CancellationToken.None);
        var oldKid = (await Keys.GetSigningKeyAsync(CancellationToken.None)).Kid;

        var newKid = await Keys.RotateAsync(Dockyard.Server.Audit.Caller.System, CancellationToken.None);
        Assert.NotEqual(oldKid, newKid);
        var after = await issuer.IssueAsync(Alice, [], CancellationToken.None);
        Assert.Contains(newKid, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(after.Token.Split('.')[0])), StringComparison.Ordinal);
        Assert.NotNull((await Validator.ValidateAsync(before.Token, CancellationToken.None)).Claims);

        // Past the old tokens' lifetime the retired key stops verifying even a forged long-lived token.
        _server.Time.Advance(TimeSpan.FromMinutes(6));
        var oldKey = await Keys.FindVerificationKeyAsync(oldKid, CancellationToken.None);
        Assert.Null(oldKey);
        Assert.NotNull((await Validator.ValidateAsync((await issuer.IssueAsync(Alice, [], CancellationToken.None)).Token, CancellationToken.None)).Claims);
    }

    [Fact]
    public async Task SigningKeyStore_KeyPersistsAcrossRestart()
    {
        var token = (await _server.Get<RegistryTokenIssuer>().IssueAsync(Alice, [], CancellationToken.None)).Token;
        await _server.Server.RestartAsync();
        Assert.NotNull((await _server.Get<RegistryTokenValidator>().ValidateAsync(token, CancellationToken.None)).Claims);
    }

    private RegistryTokenClaims Claims(Principal principal)
    {
        var now = _server.Time.GetUtcNow();
        return new RegistryTokenClaims
        {
            Issuer = "dockyard",
            Audience = "dockyard",
            Id = Guid.NewGuid().ToString("N"),
            IssuedAt = now,
            NotBefore = now,
            ExpiresAt = now.AddMinutes(5),
            Access = [new ResourceScope("repository", "alice/app", ["pull"])],
            Principal = principal,
        };
    }

    private async Task<string> SignAsync(RegistryTokenClaims claims)
    {
        var key = await Keys.GetSigningKeyAsync(CancellationToken.None);
        return CompactJws.Sign(RegistryTokenSerializer.Serialize(claims), key.Kid, key.Key);
    }

    private static string SignWithHeader(string headerJson, RegistryTokenClaims claims, ECDsa key)
    {
        var input = $"{B64(headerJson)}.{B64(RegistryTokenSerializer.Serialize(claims))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{B64(signature)}";
    }

    private async Task AssertRejectedAsync(string token)
    {
        var result = await Validator.ValidateAsync(token, CancellationToken.None);
        Assert.Null(result.Claims);
        Assert.NotNull(result.Failure);
    }

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
