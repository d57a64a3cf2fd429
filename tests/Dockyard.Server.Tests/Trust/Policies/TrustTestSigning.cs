using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>
/// Signatures as cosign and skopeo store them, built in-test: a <c>sha256-&lt;hex&gt;.sig</c> manifest with one
/// simple-signing layer per key (payload blob + base64 DER signature annotation); keys registered for a team.
/// </summary>
internal static class TrustTestSigning
{
    /// <summary>Pushes the cosign signature manifest of <paramref name="digest"/> signed by <paramref name="keys"/>; returns the signature manifest's digest.</summary>
    public static async Task<string> SignAsync(RegistryTestClient client, string repository, string digest, params SigningPrivateKey[] keys)
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var layers = new List<object>();
        foreach (var key in keys)
        {
            var payload = new SimpleSigningPayload(repository, digest, null).ToJson();
            var payloadDigest = await client.PushBlobAsync(repository, payload);
            layers.Add(new Dictionary<string, object>
            {
                ["mediaType"] = SimpleSigningPayload.MediaType,
                ["digest"] = payloadDigest,
                ["size"] = payload.Length,
                ["annotations"] = new Dictionary<string, string> { [SimpleSigningPayload.SignatureAnnotation] = Convert.ToBase64String(key.Sign(payload)) },
            });
        }

        var manifest = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = TestManifests.OciManifest,
            ["config"] = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            ["layers"] = layers,
        });
        using var response = await client.PutManifestAsync(repository, SignatureTag(digest), manifest, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>cosign's tag for the signatures of <paramref name="digest"/>.</summary>
    public static string SignatureTag(string digest) => digest.Replace(':', '-') + ".sig";

    /// <summary>A new key pair whose public part is registered for <paramref name="organization"/>/<paramref name="team"/>.</summary>
    public static async Task<SigningPrivateKey> TeamKeyAsync(ApiTestServer server, string organization, string team, string name)
    {
        var key = SigningPrivateKey.Generate();
        await server.Get<TrustKeyService>().RegisterAsync(
            Dockyard.Server.Audit.Caller.System, organization, new TrustKeyRegistration(name, team, key.PublicKey.ToPem(), false, null), CancellationToken.None);
        return key;
    }

    /// <summary>A /v2 client holding a registry token for <paramref name="username"/> with <paramref name="actions"/> on <paramref name="repositories"/>.</summary>
    public static async Task<RegistryTestClient> RegistryAsync(ApiTestServer server, string username, string secret, string actions, params string[] repositories)
    {
        var scopes = string.Concat(repositories.Select(r => $"&scope={Uri.EscapeDataString($"repository:{r}:{actions}")}"));
        using var issued = await server.WithBasic(username, secret).GetAsync("/auth/token?service=dockyard" + scopes);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var jwt = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var http = server.WithBearer(jwt);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(TestManifests.OciManifest));
        return new RegistryTestClient(http);
    }
}
