using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Policies;

namespace Dockyard.Server.Tests.Trust.Signatures;

/// <summary>
/// Sigstore bundle referrers as cosign 3 attaches them (artifact type <c>application/vnd.dev.sigstore.bundle.v0.3+json</c>,
/// the bundle JSON as the one layer, the image as subject), in the <c>messageSignature</c> form: a signature over the
/// manifest bytes, named by their digest. Built in-test with a P-256 key and pushed over /v2.
/// </summary>
public sealed class SignatureBundleTests
{
    private const string BundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    [Fact]
    public async Task Signatures_BundleReferrer_VerifiesForItsSubject_AndABundleOfAnotherImageIsInvalid()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "bun");
        var repository = $"{org}/app";
        var (json, digest) = await client.PushImageAsync(repository, "v1");
        await server.GetRequiredService<Dockyard.Server.Accounts.RepositoryService>().UpdateAsync(Dockyard.Server.Audit.Caller.System, repository, "public", null, CancellationToken.None);
        var (otherJson, _) = await client.PushImageAsync(repository, "v2", layerText: "another image");
        using var key = SigningPrivateKey.Generate();
        await SignatureTestData.RegisterTeamKeyAsync(server, org, "release", "ci", key);

        var manifest = Encoding.UTF8.GetBytes(json);
        var good = await PushBundleAsync(client, repository, digest, manifest.Length, Bundle(key, manifest));
        // Signed with the right key, but over another image's manifest: its digest is not this subject's.
        var misplaced = await PushBundleAsync(client, repository, digest, manifest.Length, Bundle(key, Encoding.UTF8.GetBytes(otherJson)));

        using var response = await http.GetAsync($"/api/v1/repositories/{repository}/manifests/{digest}/signatures");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal("signed", result.GetProperty("state").GetString());
        var verdicts = result.GetProperty("signatures").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        Assert.Equal(2, verdicts.Count);
        Assert.Equal("bundle", verdicts[good].GetProperty("kind").GetString());
        Assert.True(verdicts[good].GetProperty("valid").GetBoolean());
        Assert.Equal($"{org}/release", verdicts[good].GetProperty("key").GetProperty("team").GetString());
        Assert.False(verdicts[misplaced].GetProperty("valid").GetBoolean());
        Assert.False(string.IsNullOrEmpty(verdicts[misplaced].GetProperty("problem").GetString()));
    }

    private static byte[] Bundle(SigningPrivateKey key, byte[] artifact) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        mediaType = BundleType,
        verificationMaterial = new { publicKey = new { hint = "test" }, tlogEntries = Array.Empty<object>() },
        messageSignature = new
        {
            messageDigest = new { algorithm = "SHA2_256", digest = Convert.ToBase64String(SHA256.HashData(artifact)) },
            signature = Convert.ToBase64String(key.Sign(artifact)),
        },
    }));

    private static async Task<string> PushBundleAsync(RegistryTestClient client, string repository, string subject, long subjectSize, byte[] bundle)
    {
        var empty = "{}"u8.ToArray();
        var configDigest = await client.PushBlobAsync(repository, empty);
        var bundleDigest = await client.PushBlobAsync(repository, bundle);
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{TestManifests.OciManifest}\",\"artifactType\":\"{BundleType}\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"{configDigest}\",\"size\":2}},"
            + $"\"layers\":[{{\"mediaType\":\"{BundleType}\",\"digest\":\"{bundleDigest}\",\"size\":{bundle.Length}}}],"
            + $"\"subject\":{{\"mediaType\":\"{TestManifests.OciManifest}\",\"digest\":\"{subject}\",\"size\":{subjectSize}}}}}";
        using var response = await client.PutManifestAsync(repository, RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json)), json, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }
}
