using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Trust.Crypto;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Trust.Signing;

/// <summary>
/// Signing through Dockyard — <c>POST /api/v1/repositories/{name}/manifests/{reference}/signatures</c> and
/// <c>dockyard sign</c> — against a real server. Each stored signature is verified independently of Dockyard's code
/// (<see cref="SigningServer.VerifyStoredSignaturesAsync"/>), and the real skopeo reads the attachments under a policy.json
/// requiring a sigstore signature by the key (<c>signedIdentity: matchRepository</c>): Debian's skopeo has sigstore
/// verification disabled and refuses each signature it found with that reason (<see cref="SigningServer.AssertSkopeoAccepts"/>);
/// a key that signed nothing is refused either way.
/// </summary>
public sealed class ServerSigningTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SigningServer _world = null!;

    public async Task InitializeAsync() => _world = await SigningServer.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Signed_through_the_api_and_the_cli_skopeo_accepts_each_key_and_refuses_another()
    {
        var digest = await _world.PushImageAsync("app", "v1");

        // A CI service account signs by digest with an organization key.
        var (status, body) = await _world.SignAsync(_world.CiToken, "acme/app", digest, "acme/ci");
        Assert.Equal(201, status);
        Assert.Equal(digest, body.GetProperty("digest").GetString());
        Assert.Equal(_world.CiKey.PublicKey.Fingerprint, body.GetProperty("fingerprint").GetString());
        Assert.Equal($"{_world.Server.RegistryHost}/acme/app", body.GetProperty("dockerReference").GetString());
        Assert.Equal(digest.Replace(':', '-') + ".sig", body.GetProperty("tag").GetString());

        // The same key again: the signature already there is returned, nothing is added.
        (status, body) = await _world.SignAsync(_world.CiToken, "acme/app", "v1", "acme/ci");
        Assert.Equal(200, status);
        Assert.False(body.GetProperty("created").GetBoolean());

        // A release-team member signs the tag with the team's key through the CLI.
        var cli = await DockyardProcess.RunCliUncheckedAsync(
            new Dictionary<string, string> { ["DOCKYARD_SERVER"] = _world.Server.BaseAddress.ToString(), ["DOCKYARD_TOKEN"] = _world.RitaToken },
            TimeSpan.FromMinutes(2),
            "sign", $"{_world.Server.RegistryHost}/acme/app:v1", "--key", "acme/release");
        output.WriteLine(cli.Describe());
        Assert.True(cli.ExitCode == 0, cli.Describe());
        Assert.Contains($"Signed acme/app@{digest} with acme/release (team acme/release), key {_world.ReleaseKey.PublicKey.Fingerprint}.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Signing acme/app:v1 on", cli.StandardError, StringComparison.Ordinal);

        // One .sig manifest with both signatures, in the form skopeo writes.
        using (var manifest = await _world.SignatureManifestAsync("acme/app", digest))
        {
            Assert.NotNull(manifest);
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.RootElement.GetProperty("mediaType").GetString());
            var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().ToList();
            Assert.Equal(2, layers.Count);
            Assert.All(layers, l => Assert.Equal(SimpleSigningPayload.MediaType, l.GetProperty("mediaType").GetString()));
        }

        // Each signature verifies under its key, for the repository's identity and this digest.
        Assert.Equal(
            new[] { _world.CiKey.PublicKey.Fingerprint, _world.ReleaseKey.PublicKey.Fingerprint },
            await _world.VerifyStoredSignaturesAsync("acme/app", digest, _world.CiKey, _world.ReleaseKey, _world.OutsiderKey));

        // skopeo reads both attachments, by tag and by digest, and refuses a key that signed nothing.
        foreach (var key in new[] { _world.CiKey, _world.ReleaseKey })
        {
            SigningServer.AssertSkopeoAccepts(await _world.VerifiedCopyAsync("acme/app", ":v1", key.PublicKey), signatures: 2);
        }

        SigningServer.AssertSkopeoAccepts(await _world.VerifiedCopyAsync("acme/app", "@" + digest, _world.ReleaseKey.PublicKey), signatures: 2);
        var refused = await _world.VerifiedCopyAsync("acme/app", ":v1", _world.OutsiderKey.PublicKey);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Source image rejected", refused.StandardError, StringComparison.Ordinal);

        // Audited: who, with which key (fingerprint), which digest.
        await using var db = _world.Database();
        var entries = await db.AuditEntries.Where(e => e.Action == "signature.create").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("success", e.Outcome));
        Assert.Equal(["acme/ci", "acme/ci", "rita"], entries.Select(e => e.ActorName));
        Assert.Contains(_world.ReleaseKey.PublicKey.Fingerprint, entries[2].Details!, StringComparison.Ordinal);
        Assert.Contains(digest, entries[2].Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_signings_of_one_digest_both_survive()
    {
        var digest = await _world.PushImageAsync("race", "v1");

        var signings = await Task.WhenAll(
            _world.SignAsync(_world.CiToken, "acme/race", digest, "acme/ci"),
            _world.SignAsync(_world.CiToken, "acme/race", digest, "acme/release"));

        Assert.All(signings, s => Assert.Equal(201, s.Status));
        using var manifest = await _world.SignatureManifestAsync("acme/race", digest);
        Assert.NotNull(manifest);
        Assert.Equal(2, manifest.RootElement.GetProperty("layers").GetArrayLength());
        var signers = await _world.VerifyStoredSignaturesAsync("acme/race", digest, _world.CiKey, _world.ReleaseKey);
        Assert.Equal(
            new[] { _world.CiKey.PublicKey.Fingerprint, _world.ReleaseKey.PublicKey.Fingerprint }.Order(StringComparer.Ordinal),
            signers.Order(StringComparer.Ordinal));
        SigningServer.AssertSkopeoAccepts(await _world.VerifiedCopyAsync("acme/race", ":v1", _world.CiKey.PublicKey), signatures: 2);
    }

    [Fact]
    public async Task Refusals_name_their_reason_and_write_nothing()
    {
        var digest = await _world.PushImageAsync("refused", "v1");
        var missing = TestImages.Sha256Digest("no such manifest"u8);
        var retired = SigningPrivateKey.Generate();
        await _world.RegisterKeyAsync("retired", retired, null, held: true);
        await using (var db = _world.Database())
        {
            await db.TrustKeys.Where(k => k.Name == "retired").ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
        }

        // A member outside the key's team, who may push: 403 naming who may.
        var (status, body) = await _world.SignAsync(_world.OttoToken, "acme/refused", digest, "acme/release");
        Assert.Equal(403, status);
        Assert.Contains("Only members of team acme/release", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, body) = await _world.SignAsync(_world.CiToken, "acme/refused", digest, "acme/retired");
        Assert.Equal(409, status);
        Assert.Contains("revoked", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, body) = await _world.SignAsync(_world.CiToken, "acme/refused", digest, "acme/outsider");
        Assert.Equal(409, status);
        Assert.Contains("does not hold the private part", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, _) = await _world.SignAsync(_world.CiToken, "acme/refused", digest, "acme/nosuchkey");
        Assert.Equal(404, status);
        (status, _) = await _world.SignAsync(_world.CiToken, "acme/refused", missing, "acme/ci");
        Assert.Equal(404, status);
        (status, _) = await _world.SignAsync(_world.CiToken, "acme/refused", digest, "ci");
        Assert.Equal(400, status);

        // The service account's token may not push outside acme/**.
        (status, _) = await _world.SignAsync(_world.CiToken, "rita/app", digest, "acme/ci");
        Assert.Equal(404, status);

        Assert.Null(await _world.SignatureManifestAsync("acme/refused", digest));
        retired.Dispose();
    }

    [Fact]
    public async Task Cli_reports_a_refusal_and_usage_errors()
    {
        await _world.PushImageAsync("cli", "v1");
        var environment = new Dictionary<string, string> { ["DOCKYARD_SERVER"] = _world.Server.BaseAddress.ToString(), ["DOCKYARD_TOKEN"] = _world.OttoToken };

        var refused = await DockyardProcess.RunCliUncheckedAsync(environment, TimeSpan.FromMinutes(2), "sign", "acme/cli:v1", "--key", "acme/release");
        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("Only members of team acme/release", refused.StandardError, StringComparison.Ordinal);

        var usage = await DockyardProcess.RunCliUncheckedAsync(environment, TimeSpan.FromMinutes(2), "sign", "acme/cli@v1", "--key", "acme/release");
        Assert.True(usage.ExitCode == 2, usage.Describe());
        Assert.Contains("is not a digest", usage.StandardError, StringComparison.Ordinal);
    }
}
