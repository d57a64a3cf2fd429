using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Trust.Signatures;

/// <summary>Builds cosign signature manifests in-test (payload blobs + signature annotations) and registers keys through the services.</summary>
internal static class SignatureTestData
{
    public const string CosignArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    /// <summary>One simple-signing layer: the exact payload bytes and the base64 signature that goes in its annotation.</summary>
    public sealed record Layer(byte[] Payload, string SignatureBase64);

    public static byte[] Payload(string reference, string digest, DateTimeOffset? timestamp = null) =>
        new SimpleSigningPayload(reference, digest, timestamp).ToJson();

    public static Layer Sign(SigningPrivateKey key, byte[] payload) => new(payload, Convert.ToBase64String(key.Sign(payload)));

    /// <summary>Pushes the layers' payloads and an OCI manifest of them; by tag (cosign's .sig scheme) or, with a subject, by digest as a referrer.</summary>
    public static async Task<string> PushSignatureManifestAsync(RegistryTestClient client, string repository, string? tag, IReadOnlyList<Layer> layers, string? subject = null, long subjectSize = 0)
    {
        var config = "{}"u8.ToArray();
        var configDigest = await client.PushBlobAsync(repository, config);
        var descriptors = new List<string>();
        foreach (var layer in layers)
        {
            var digest = await client.PushBlobAsync(repository, layer.Payload);
            descriptors.Add($"{{\"mediaType\":\"{SimpleSigningPayload.MediaType}\",\"digest\":\"{digest}\",\"size\":{layer.Payload.Length},\"annotations\":{{\"{SimpleSigningPayload.SignatureAnnotation}\":{JsonSerializer.Serialize(layer.SignatureBase64)}}}}}");
        }

        var configType = subject is null ? "application/vnd.oci.image.config.v1+json" : CosignArtifactType;
        var artifact = subject is null ? string.Empty : $",\"artifactType\":\"{CosignArtifactType}\"";
        var subjectJson = subject is null ? string.Empty : $",\"subject\":{{\"mediaType\":\"{TestManifests.OciManifest}\",\"digest\":\"{subject}\",\"size\":{subjectSize}}}";
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{TestManifests.OciManifest}\"{artifact},\"config\":{{\"mediaType\":\"{configType}\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},\"layers\":[{string.Join(',', descriptors)}]{subjectJson}}}";
        var reference = tag ?? RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        using var response = await client.PutManifestAsync(repository, reference, json, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>Pushes an image and makes its repository public, so the API answers anonymous callers (the in-process server runs without authentication).</summary>
    public static async Task<string> PushPublicImageAsync(InProcessDockyard server, RegistryTestClient client, string repository, string tag)
    {
        var (_, digest) = await client.PushImageAsync(repository, tag);
        await server.GetRequiredService<RepositoryService>().UpdateAsync(Dockyard.Server.Audit.Caller.System, repository, "public", null, CancellationToken.None);
        return digest;
    }

    public static string SignatureTag(string digest) => digest.Replace(':', '-') + ".sig";

    /// <summary>A team in the organization and a key of that team registered with the key's public half.</summary>
    public static async Task<TrustKeyView> RegisterTeamKeyAsync(InProcessDockyard server, string organization, string team, string keyName, SigningPrivateKey key)
    {
        await server.GetRequiredService<TeamService>().CreateAsync(Dockyard.Server.Audit.Caller.System, organization, team, null, CancellationToken.None);
        return await server.GetRequiredService<TrustKeyService>().RegisterAsync(
            Dockyard.Server.Audit.Caller.System, organization, new TrustKeyRegistration(keyName, team, key.PublicKey.ToPem(), false, null), CancellationToken.None);
    }
}
