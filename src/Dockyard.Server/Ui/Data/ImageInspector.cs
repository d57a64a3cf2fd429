using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Policies;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Reads one manifest for the image page: the document itself, the image config it points at, an index's children,
/// the indexes that hold it and the manifest it refers to (with their tags), and the referrers (signatures, SBOMs,
/// attestations). Blobs are read with size caps and never count as pulls.
/// The caller has already checked that the principal may pull the repository.
/// </summary>
internal sealed class ImageInspector(
    IManifestIndex manifestIndex,
    ITagIndex tagIndex,
    IReferrerIndex referrerIndex,
    ManifestRelations relations,
    BlobReader blobs,
    ManifestSummarizer summaries,
    IOptions<RegistryOptions> registry)
{
    /// <summary>The manifest named by a tag or digest, or null when there is none.</summary>
    public async Task<ImageDetails?> InspectAsync(RepositoryName repository, string reference, CancellationToken cancellationToken)
    {
        if (!Reference.TryParse(reference, out var parsed, out _))
        {
            return null;
        }

        var record = parsed.IsTag
            ? await tagIndex.ResolveTagAsync(repository, parsed.Tag, cancellationToken)
            : await manifestIndex.GetManifestAsync(repository, parsed.Digest!.Value, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var body = await blobs.ReadAsync(record.Digest, registry.Value.MaxManifestBytes, cancellationToken);
        ParsedManifest? manifest = null;
        if (body is not null)
        {
            try
            {
                manifest = ManifestParser.Parse(body, record.MediaType);
            }
            catch (RegistryException)
            {
                manifest = null;
            }
        }

        var digest = record.Digest.Value;
        var relation = (await relations.GetAsync(repository.Value, [digest], cancellationToken)).GetValueOrDefault(digest);
        var referrers = (await referrerIndex.ListReferrersAsync(repository, record.Digest, null, cancellationToken))
            .Select(r => new ReferrerRow(r.Digest.Value, r.ArtifactType, KindOf(r.ArtifactType), r.Size, r.CreatedAt)).ToList();
        var details = new ImageDetails
        {
            Digest = digest,
            MediaType = record.MediaType,
            ManifestSize = record.Size,
            PushedAt = record.CreatedAt,
            Tags = relation?.Tags ?? [],
            ArtifactType = record.ArtifactType,
            Subject = record.Subject?.Value,
            SubjectLink = relation?.Subject,
            HeldBy = relation?.HeldBy ?? [],
            Referrers = referrers,
            Annotations = manifest?.Annotations ?? new Dictionary<string, string>(),
        };
        if (manifest is null)
        {
            return details;
        }

        if (manifest.IsIndex)
        {
            var children = manifest.Manifests.Select(m => new IndexChild(
                m.Digest.Value,
                m.MediaType,
                m.Size,
                m.Platform is { } p ? ManifestSummarizer.PlatformText(p.Os, p.Architecture, p.Variant) : null,
                IsAttestation(m))).ToList();
            var summary = await summaries.GetAsync(repository, [digest], cancellationToken);
            return details with { IsIndex = true, Children = children, CompressedSize = summary.GetValueOrDefault(digest)?.ContentSize };
        }

        var artifact = IsArtifact(manifest);
        var config = artifact ? null : await ReadConfigAsync(manifest.Config, cancellationToken);
        var steps = config?.HistoryForLayers(manifest.Layers.Count);
        var layers = manifest.Layers.Select((l, i) => new ImageLayer(l.Digest.Value, l.MediaType, l.Size, steps?[i], Title(l))).ToList();
        return details with
        {
            Config = config,
            ConfigDigest = manifest.Config?.Digest.Value,
            ConfigMediaType = manifest.Config?.MediaType,
            IsArtifact = artifact,
            Layers = layers,
            History = ImageStep.Of(config?.History ?? [], layers),
            CompressedSize = (manifest.Config?.Size ?? 0) + layers.Sum(l => l.Size),
        };
    }

    /// <summary>Not an image: its artifact type (<c>artifactType</c>, else the config's media type) is not an image configuration.</summary>
    private static bool IsArtifact(ParsedManifest manifest) =>
        !manifest.IsIndex && (manifest.ArtifactType ?? manifest.Config?.MediaType) is { } type && type is not (MediaTypes.OciConfig or MediaTypes.DockerConfig);

    private static string? Title(Descriptor blob) =>
        blob.Annotations?.TryGetValue("org.opencontainers.image.title", out var title) == true ? title : null;

    private async Task<ImageConfig?> ReadConfigAsync(Descriptor? descriptor, CancellationToken cancellationToken)
    {
        if (descriptor is null || descriptor.Size > ImageConfig.MaxSize)
        {
            return null;
        }

        var body = await blobs.ReadAsync(descriptor.Digest, ImageConfig.MaxSize, cancellationToken);
        try
        {
            return body is null ? null : ImageConfig.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>BuildKit stores provenance/SBOM attestations as index entries for platform unknown/unknown.</summary>
    private static bool IsAttestation(Descriptor child) =>
        child.Annotations?.TryGetValue("vnd.docker.reference.type", out var type) == true && type == "attestation-manifest"
        || child.Platform is { Os: "unknown", Architecture: "unknown" };

    /// <summary>A human name for an artifact type.</summary>
    public static string KindOf(string? artifactType)
    {
        var type = artifactType?.ToLowerInvariant() ?? string.Empty;
        if (type.Contains("signature", StringComparison.Ordinal) || type.Contains("cosign", StringComparison.Ordinal) || type.Contains("notary", StringComparison.Ordinal))
        {
            return "Signature";
        }

        if (type.Contains("spdx", StringComparison.Ordinal) || type.Contains("cyclonedx", StringComparison.Ordinal) || type.Contains("sbom", StringComparison.Ordinal) || type.Contains("syft", StringComparison.Ordinal))
        {
            return "SBOM";
        }

        if (type.Contains("in-toto", StringComparison.Ordinal) || type.Contains("attestation", StringComparison.Ordinal) || type.Contains("provenance", StringComparison.Ordinal) || type.Contains("vex", StringComparison.Ordinal))
        {
            return "Attestation";
        }

        return "Artifact";
    }
}
