using System.Net;
using System.Text.Json;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Policies;

namespace Dockyard.Server.Tests.Trust.Signatures;

/// <summary>
/// Signatures pushed over /v2 (cosign's .sig tag and OCI 1.1 referrers, built in-test with a P-256 key) and what
/// <c>GET /api/v1/repositories/{name}/manifests/{digest}/signatures</c> and the tag list make of them.
/// </summary>
public sealed class SignatureVerificationTests
{
    [Fact]
    public async Task Signatures_SigTagByTeamKey_SignedByTeam_AndRevokingTheKeyInvalidatesAtOnce()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "sig");
        var repository = $"{org}/app";
        var digest = await SignatureTestData.PushPublicImageAsync(server, client, repository, "v1");
        using var key = SigningPrivateKey.Generate();
        var registered = await SignatureTestData.RegisterTeamKeyAsync(server, org, "release", "ci", key);

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
        var payload = SignatureTestData.Payload($"127.0.0.1:5000/{repository}", digest, signedAt);
        await SignatureTestData.PushSignatureManifestAsync(client, repository, SignatureTestData.SignatureTag(digest), [SignatureTestData.Sign(key, payload)]);

        var signed = await GetSignaturesAsync(http, repository, digest);
        Assert.Equal("signed", signed.GetProperty("state").GetString());
        var signature = Assert.Single(signed.GetProperty("signatures").EnumerateArray());
        Assert.Equal("cosign", signature.GetProperty("kind").GetString());
        Assert.True(signature.GetProperty("valid").GetBoolean());
        Assert.Equal($"{org}/release", signature.GetProperty("key").GetProperty("team").GetString());
        Assert.Equal(key.PublicKey.Fingerprint, signature.GetProperty("key").GetProperty("fingerprint").GetString());
        Assert.Equal(signedAt, signature.GetProperty("signedAt").GetDateTimeOffset());

        var tags = await GetJsonAsync(http, $"/api/v1/repositories/{repository}/tags");
        var v1 = tags.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "v1");
        Assert.Equal("signed", v1.GetProperty("signature").GetProperty("state").GetString());
        Assert.Equal([$"{org}/release"], v1.GetProperty("signature").GetProperty("signers").EnumerateArray().Select(s => s.GetString()));

        // The verdict is cached; revoking changes the key set's version, so it is not served again.
        await server.GetRequiredService<TrustKeyService>().RevokeAsync(Dockyard.Server.Audit.Caller.System, org, registered.Name, "leaked", CancellationToken.None);
        var revoked = await GetSignaturesAsync(http, repository, digest);
        Assert.Equal("invalid", revoked.GetProperty("state").GetString());
        var after = Assert.Single(revoked.GetProperty("signatures").EnumerateArray());
        Assert.False(after.GetProperty("valid").GetBoolean());
        Assert.Equal($"key {org}/ci was revoked", after.GetProperty("problem").GetString());
        Assert.Equal(key.PublicKey.Fingerprint, after.GetProperty("key").GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Signatures_DefectiveSignatures_AreInvalidEachWithItsReason()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "bad");
        var repository = $"{org}/app";
        var digest = await SignatureTestData.PushPublicImageAsync(server, client, repository, "v1");
        var (_, otherDigest) = await client.PushImageAsync(repository, "v2");
        using var key = SigningPrivateKey.Generate();
        using var stranger = SigningPrivateKey.Generate();
        await SignatureTestData.RegisterTeamKeyAsync(server, org, "release", "ci", key);

        var good = SignatureTestData.Payload(repository, digest);
        var tampered = SignatureTestData.Sign(key, good) with { Payload = SignatureTestData.Payload(repository + "x", digest) };
        var truncated = SignatureTestData.Sign(key, good) is var whole
            ? whole with { SignatureBase64 = Convert.ToBase64String(Convert.FromBase64String(whole.SignatureBase64)[..^5]) }
            : null!;
        await SignatureTestData.PushSignatureManifestAsync(client, repository, SignatureTestData.SignatureTag(digest),
        [
            tampered with { Payload = SignatureTestData.Payload(repository, digest, DateTimeOffset.FromUnixTimeSeconds(1)) },
            SignatureTestData.Sign(key, SignatureTestData.Payload(repository, otherDigest)),
            truncated,
            SignatureTestData.Sign(stranger, good),
            SignatureTestData.Sign(key, SignatureTestData.Payload("127.0.0.1:5000/other/app:v1", digest)),
        ]);

        var result = await GetSignaturesAsync(http, repository, digest);
        Assert.Equal("invalid", result.GetProperty("state").GetString());
        var problems = result.GetProperty("signatures").EnumerateArray().Select(s => (Valid: s.GetProperty("valid").GetBoolean(), Problem: s.GetProperty("problem").GetString())).ToList();
        Assert.All(problems, p => Assert.False(p.Valid));
        Assert.Equal(
        [
            "no registered key verifies this signature",
            $"the signature signs another digest ({otherDigest})",
            "no registered key verifies this signature",
            "no registered key verifies this signature",
            "the signature was made for another repository (127.0.0.1:5000/other/app:v1)",
        ], problems.Select(p => p.Problem));
    }

    [Fact]
    public async Task Signatures_CosignReferrer_VerifiesAndUnsignedFilterFollowsNewSignatures()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "ref");
        var repository = $"{org}/app";
        var (signedJson, signedDigest) = await client.PushImageAsync(repository, "signed");
        var unsignedDigest = await SignatureTestData.PushPublicImageAsync(server, client, repository, "unsigned");
        using var key = SigningPrivateKey.Generate();
        await SignatureTestData.RegisterTeamKeyAsync(server, org, "build", "ci", key);

        var signature = SignatureTestData.Sign(key, SignatureTestData.Payload(repository, signedDigest));
        var referrer = await SignatureTestData.PushSignatureManifestAsync(client, repository, null, [signature], signedDigest, signedJson.Length);
        var result = await GetSignaturesAsync(http, repository, signedDigest);
        Assert.Equal("signed", result.GetProperty("state").GetString());
        var verdict = Assert.Single(result.GetProperty("signatures").EnumerateArray());
        Assert.Equal("referrer", verdict.GetProperty("kind").GetString());
        Assert.Equal(referrer, verdict.GetProperty("source").GetString());

        var unsigned = await GetJsonAsync(http, $"/api/v1/repositories/{repository}/tags?signed=false");
        Assert.Equal(["unsigned"], unsigned.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("unsigned", unsigned.GetProperty("items")[0].GetProperty("signature").GetProperty("state").GetString());

        // Signing the other image (a .sig tag push) drops the cached verdict: the filter soon lists nothing.
        await SignatureTestData.PushSignatureManifestAsync(client, repository, SignatureTestData.SignatureTag(unsignedDigest),
            [SignatureTestData.Sign(key, SignatureTestData.Payload(repository, unsignedDigest))]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement now;
        do
        {
            now = await GetJsonAsync(http, $"/api/v1/repositories/{repository}/tags?signed=false");
        }
        while (now.GetProperty("total").GetInt32() != 0 && DateTime.UtcNow < deadline && await Task.Delay(50).ContinueWith(_ => true));
        Assert.Equal(0, now.GetProperty("total").GetInt32());

        // The .sig tag is listed as a tag, but never as an unsigned image.
        var all = await GetJsonAsync(http, $"/api/v1/repositories/{repository}/tags");
        Assert.Contains(SignatureTestData.SignatureTag(unsignedDigest), all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Signatures_UnknownRepositoryOrBadDigest_AreNotFound()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        using var missing = await http.GetAsync($"/api/v1/repositories/nobody/app/manifests/sha256:{new string('a', 64)}/signatures");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var bad = await http.GetAsync("/api/v1/repositories/nobody/app/manifests/sha256:zz/signatures");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
    }

    private static Task<JsonElement> GetSignaturesAsync(HttpClient http, string repository, string digest) =>
        GetJsonAsync(http, $"/api/v1/repositories/{repository}/manifests/{digest}/signatures");

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string uri)
    {
        using var response = await http.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{uri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
