using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Dockyard.Server.Protection;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Trust.Keys;

/// <summary>
/// <c>/api/v1/orgs/{org}/keys</c> and <see cref="TrustKeyService"/>: every algorithm, the parser's refusals, duplicates,
/// who may do what, revocation seen by the <see cref="TrustKeyRing"/> at once, expiry, generated keys sealed at rest, audit.
/// </summary>
public sealed class TrustKeysApiTests : IAsyncLifetime
{
    // Generated with `openssl genpkey -algorithm ed25519` (.NET has no Ed25519).
    private const string Ed25519Pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAVZQLadUjbrTNhr1/2LE+oGSppTSfYgvTGFGQWRpTbis=\n-----END PUBLIC KEY-----\n";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _owner = null!;
    private HttpClient _member = null!;
    private HttpClient _outsider = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));
        _admin = await _server.AdminAsync();
        var (ownerId, owner) = await _server.UserAsync("owner");
        _owner = owner;
        (_, _member) = await _server.UserAsync("member");
        (_, _outsider) = await _server.UserAsync("outsider");
        var acme = await _server.CreateOrganizationAsync("acme", ownerId);
        await _server.AddMemberAsync(acme, "member");
        await _server.CreateOrganizationAsync("globex", ownerId);
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/teams", new { name = "release" }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Register_EveryAlgorithm_ListedWithFingerprintOfItsSpki()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        var expected = new (string Name, string Pem, string Algorithm, byte[] Spki)[]
        {
            ("p256", p256.ExportSubjectPublicKeyInfoPem(), "ecdsa-p256", p256.ExportSubjectPublicKeyInfo()),
            ("p384", p384.ExportSubjectPublicKeyInfoPem(), "ecdsa-p384", p384.ExportSubjectPublicKeyInfo()),
            ("rsa", rsa.ExportSubjectPublicKeyInfoPem(), "rsa-2048", rsa.ExportSubjectPublicKeyInfo()),
            ("ed", Ed25519Pem, "ed25519", PemEncoding.TryFind(Ed25519Pem, out var fields) ? Convert.FromBase64String(Ed25519Pem[fields.Base64Data]) : []),
        };
        foreach (var (name, pem, _, _) in expected)
        {
            var team = name == "p256" ? "release" : null;
            var created = await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name, team, publicKey = pem }));
            Assert.Equal("active", created.GetProperty("status").GetString());
            Assert.False(created.GetProperty("heldByDockyard").GetBoolean());
        }

        var list = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync("/api/v1/orgs/acme/keys"));
        Assert.Equal(4, list.GetArrayLength());
        foreach (var (name, _, algorithm, spki) in expected)
        {
            var key = list.EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
            Assert.Equal(algorithm, key.GetProperty("algorithm").GetString());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki)), key.GetProperty("fingerprint").GetString());
            Assert.Equal(name == "p256" ? "release" : null, key.GetProperty("team").GetString());
        }

        var snapshot = await _server.Get<TrustKeyRing>().GetAsync(CancellationToken.None);
        var p256Key = snapshot.ByFingerprint["sha256:" + Convert.ToHexStringLower(SHA256.HashData(expected[0].Spki))];
        Assert.Equal(("p256", "acme", "acme/release"), (p256Key.Name, p256Key.Organization, p256Key.Team));
        Assert.Null(snapshot.ByFingerprint.Values.Single(k => k.Name == "ed").Team);
    }

    [Fact]
    public async Task Register_UnreadableKeys_Answer400WithTheParsersMessage()
    {
        using var weak = RSA.Create(1024);
        foreach (var pem in new[] { weak.ExportSubjectPublicKeyInfoPem(), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a key" })
        {
            string message;
            try
            {
                SignaturePublicKey.Parse(pem);
                throw new InvalidOperationException("the parser accepted " + pem);
            }
            catch (KeyFormatException ex)
            {
                message = ex.Message;
            }

            var problem = await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "bad", publicKey = pem }));
            Assert.Equal(message, problem.GetProperty("errors").GetProperty("publicKey")[0].GetString());
        }

        await ProblemAssert.InvalidAsync("publicKey", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "none" }));
        await ProblemAssert.InvalidAsync("name", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "Upper", generate = true }));
        await ProblemAssert.InvalidAsync("team", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "k", team = "nobody", generate = true }));
        await ProblemAssert.InvalidAsync("expiresAt", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "k", generate = true, expiresAt = _time.GetUtcNow().AddMinutes(-1) }));
        Assert.Empty((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/orgs/acme/keys"))).EnumerateArray());
    }

    [Fact]
    public async Task Register_DuplicateFingerprintAnywhere_Or_Name_Is409NamingTheHolder()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "ci", publicKey = pem }));

        var elsewhere = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await _admin.PostAsJsonAsync("/api/v1/orgs/globex/keys", new { name = "copy", publicKey = pem }));
        Assert.Contains("organization 'acme'", elsewhere.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var sameName = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "ci", generate = true }));
        Assert.Equal("'acme' already has a key named 'ci'.", sameName.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MembersList_OnlyOwnersChange_OutsidersFindNothing()
    {
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "ci", generate = true }));

        Assert.Equal(1, (await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync("/api/v1/orgs/acme/keys"))).GetArrayLength());
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync("/api/v1/orgs/acme/keys/ci"));
        var refused = await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "mine", generate = true }));
        Assert.Equal("Only owners of 'acme' and system administrators may do this.", refused.GetProperty("detail").GetString());
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.PostAsJsonAsync("/api/v1/orgs/acme/keys/ci/revoke", new { reason = "no" }));

        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.GetAsync("/api/v1/orgs/acme/keys"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "mine", generate = true }));
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await _server.Anonymous().GetAsync("/api/v1/orgs/acme/keys"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _admin.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "by-admin", generate = true }));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _member.GetAsync("/api/v1/orgs/acme/keys/nope"));

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.TrustKeys.CountAsync());
        var denied = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.TrustKeyCreate && e.Outcome == AuditOutcomes.Denied).ToListAsync();
        Assert.Equal(["member", "outsider"], denied.Select(e => e.ActorName).Order().ToArray());
    }

    [Fact]
    public async Task Revoke_RingShowsItAtOnceWithANewVersion_TwiceIs409_Audited()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var created = await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "ci", team = "release", publicKey = key.ExportSubjectPublicKeyInfoPem() }));
        var fingerprint = created.GetProperty("fingerprint").GetString()!;
        var ring = _server.Get<TrustKeyRing>();
        var before = await ring.GetAsync(CancellationToken.None);
        Assert.Null(before.ByFingerprint[fingerprint].Problem(_time.GetUtcNow()));
        Assert.Same(before, await ring.GetAsync(CancellationToken.None));

        var revoked = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys/ci/revoke", new { reason = "laptop lost" }));
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal("laptop lost", revoked.GetProperty("revocationReason").GetString());
        Assert.Equal("owner", revoked.GetProperty("revokedBy").GetString());

        // No time passes: the change through this replica counts at once.
        var after = await ring.GetAsync(CancellationToken.None);
        Assert.NotEqual(before.Version, after.Version);
        Assert.NotNull(after.ByFingerprint[fingerprint].RevokedAt);
        Assert.Equal("key acme/ci was revoked", after.ByFingerprint[fingerprint].Problem(_time.GetUtcNow()));

        var again = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys/ci/revoke", new { reason = "twice" }));
        Assert.StartsWith("Key acme/ci was already revoked", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("revoked", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync("/api/v1/orgs/acme/keys/ci"))).GetProperty("status").GetString());

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("trust-key.")).OrderBy(e => e.Id).ToListAsync();
        var create = Assert.Single(entries, e => e.Action == AuditActions.TrustKeyCreate);
        Assert.Equal((AuditOutcomes.Success, "orgs/acme/keys/ci", "acme"), (create.Outcome, create.Resource, create.Organization));
        Assert.Contains($"\"fingerprint\":\"{fingerprint}\"", create.Details, StringComparison.Ordinal);
        Assert.Contains("\"team\":\"release\"", create.Details, StringComparison.Ordinal);
        var revokes = entries.Where(e => e.Action == AuditActions.TrustKeyRevoke).ToList();
        Assert.Equal([AuditOutcomes.Success, AuditOutcomes.Failed], revokes.Select(e => e.Outcome).ToArray());
        Assert.Contains("\"reason\":\"laptop lost\"", revokes[0].Details, StringComparison.Ordinal);
        Assert.Contains($"\"fingerprint\":\"{fingerprint}\"", revokes[0].Details, StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.Details?.Contains("BEGIN", StringComparison.Ordinal) == true || e.Details?.Contains(key.ExportSubjectPublicKeyInfoPem()[27..60], StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ExpiredKey_HasAProblem_AndShowsExpired()
    {
        var created = await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "short", generate = true, expiresAt = _time.GetUtcNow().AddHours(1) }));
        var fingerprint = created.GetProperty("fingerprint").GetString()!;
        var ring = _server.Get<TrustKeyRing>();
        Assert.Null((await ring.GetAsync(CancellationToken.None)).ByFingerprint[fingerprint].Problem(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal("key acme/short expired", (await ring.GetAsync(CancellationToken.None)).ByFingerprint[fingerprint].Problem(_time.GetUtcNow()));
        Assert.Equal("expired", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync("/api/v1/orgs/acme/keys/short"))).GetProperty("status").GetString());
        var error = await Assert.ThrowsAsync<DomainException>(() => _server.Get<TrustKeyService>().OpenSigningKeyAsync("acme", "short", CancellationToken.None));
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Generate_SealsThePrivatePart_AndOpensOnlyUsableKeysDockyardHolds()
    {
        var created = await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "ci", generate = true }));
        Assert.Equal("ecdsa-p256", created.GetProperty("algorithm").GetString());
        Assert.True(created.GetProperty("heldByDockyard").GetBoolean());
        var publicKey = SignaturePublicKey.Parse(created.GetProperty("publicKey").GetString()!);
        Assert.Equal(publicKey.Fingerprint, created.GetProperty("fingerprint").GetString());

        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var stored = (await db.TrustKeys.AsNoTracking().SingleAsync(k => k.Name == "ci")).PrivateKey!;
            Assert.StartsWith(SecretProtector.Prefix, stored, StringComparison.Ordinal);
            Assert.DoesNotContain("BEGIN", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("MIG", stored, StringComparison.Ordinal); // base64 of a PKCS#8 SEQUENCE in clear starts so
            Assert.True(SecretProtector.IsProtected(stored));
        }

        var service = _server.Get<TrustKeyService>();
        using (var signing = await service.OpenSigningKeyAsync("acme", "ci", CancellationToken.None))
        {
            Assert.Equal(publicKey.Fingerprint, signing.PublicKey.Fingerprint);
            var data = "payload"u8.ToArray();
            Assert.True(publicKey.Verify(data, signing.Sign(data)));
        }

        using var pasted = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys", new { name = "laptop", publicKey = pasted.ExportSubjectPublicKeyInfoPem() }));
        Assert.Equal(DomainErrorKind.Conflict, (await Assert.ThrowsAsync<DomainException>(() => service.OpenSigningKeyAsync("acme", "laptop", CancellationToken.None))).Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => service.OpenSigningKeyAsync("globex", "ci", CancellationToken.None))).Kind);

        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/keys/ci/revoke", new { }));
        Assert.Equal(DomainErrorKind.Conflict, (await Assert.ThrowsAsync<DomainException>(() => service.OpenSigningKeyAsync("acme", "ci", CancellationToken.None))).Kind);
    }
}
