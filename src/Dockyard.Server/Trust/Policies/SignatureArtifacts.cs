using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Metadata;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// Which manifests are signatures or attestations, and so stay pullable under any pull policy (clients fetch them to
/// verify what they pull). The rule is the manifest's own content, never its tag: an image manifest whose layers are
/// all signature or attestation payloads — cosign's simple-signing layers (<c>sha256-…​.sig</c>, and the same in OCI 1.1
/// referrers), DSSE envelopes (<c>.att</c>), in-toto statements, sigstore bundles, notation's JWS/COSE envelopes. A
/// tag name such as <c>sha256-….sig</c> proves nothing (anyone with push can put an image under it), and no container
/// runtime can run JSON layers, so exempting by content opens no way around the policy.
/// </summary>
internal static class SignatureArtifacts
{
    private static readonly string[] PayloadTypes =
    [
        "application/vnd.dev.cosign.simplesigning.v1+json",
        "application/vnd.dsse.envelope.v1+json",
        "application/vnd.in-toto+json",
        "application/jose+json",
        "application/cose",
    ];

    private const string BundlePrefix = "application/vnd.dev.sigstore.bundle";

    /// <summary>True when <paramref name="mediaType"/> is a signature or attestation payload layer.</summary>
    public static bool IsPayloadLayer(string? mediaType) =>
        mediaType is not null && (PayloadTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase) || mediaType.StartsWith(BundlePrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the manifest <paramref name="digest"/> of <paramref name="repository"/> is a signature artifact; reads its body (a few hundred bytes).</summary>
    public static async Task<bool> IsSignatureAsync(ManifestService manifests, RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var reference = Reference.ForDigest(digest);
        ManifestRecord record;
        try
        {
            record = await manifests.ResolveAsync(repository, reference, cancellationToken);
        }
        catch (Registry.Errors.RegistryException)
        {
            return false;
        }

        if (MediaTypes.IsIndex(record.MediaType))
        {
            return false;
        }

        using var document = JsonDocument.Parse(await manifests.ReadAsync(repository, reference, record, cancellationToken));
        return document.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array && layers.GetArrayLength() > 0
            && layers.EnumerateArray().All(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("mediaType", out var type)
                && type.ValueKind == JsonValueKind.String && IsPayloadLayer(type.GetString()));
    }
}
