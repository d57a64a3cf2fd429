using Dockyard.Control.Images;
using Dockyard.Registry;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Access;
using Dockyard.Server.Control.Images;
using Dockyard.Server.Errors;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Pins a stack's images. An image that names Dockyard's registry (<see cref="RegistryAddress"/>) is resolved to its
/// manifest digest from Dockyard's own metadata index (no HTTP round trip to ourselves) and run as
/// <c>repo:tag@sha256:…</c>; the caller must be allowed to pull each such repository (refused with 403 naming the image
/// before any engine is asked). The pull is then made by the nodes with a short-lived registry token minted for the
/// caller (<see cref="RegistryTokenIssuer"/>, as <see cref="EngineImageService"/> pulls). Images of other registries
/// are deployed as written, with a warning.
/// </summary>
internal sealed class StackImageResolver(RegistryAddress address, RegistryTokenIssuer tokens, ITagIndex tags)
{
    /// <summary>Whether <paramref name="image"/> names Dockyard's registry.</summary>
    public bool IsHosted(string image) =>
        address.Value is { } registry && image.Length > registry.Length && image[registry.Length] == '/'
        && image.StartsWith(registry, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Resolves <paramref name="images"/> (as written) for <paramref name="principal"/>. <paramref name="pinned"/> gives
    /// references to reuse instead of resolving tags (a rollback runs the digests it ran then).
    /// </summary>
    public async Task<StackImageResolution> ResolveAsync(
        Principal principal, IEnumerable<string> images, IReadOnlyDictionary<string, string>? pinned, CancellationToken cancellationToken)
    {
        var hosted = new Dictionary<string, RegistryImageReference>(StringComparer.Ordinal);
        var warnings = new List<StackWarning>();
        foreach (var image in images.Distinct(StringComparer.Ordinal))
        {
            if (!IsHosted(image))
            {
                warnings.Add(new StackWarning(null, 0, 0, $"Image {image} is not hosted by Dockyard: deployed as written, not pinned to a digest."));
                continue;
            }

            if (!address.TryParse(image, out var reference, out var error))
            {
                throw DomainException.Invalid("files", $"Image {image}: {error}");
            }

            hosted[image] = reference;
        }

        if (hosted.Count == 0)
        {
            return new StackImageResolution(new Dictionary<string, string>(), new Dictionary<string, StackHostedImage>(), null, warnings);
        }

        // Refuse before resolving anything: whether a tag exists is not disclosed to someone who may not pull it.
        var repositories = hosted.Values.Select(r => r.Repository.Value).Distinct(StringComparer.Ordinal).ToList();
        var issued = await tokens.IssueAsync(principal, [.. repositories.Select(r => new ResourceScope(ResourceScope.RepositoryType, r, ["pull"]))], cancellationToken);
        foreach (var (image, reference) in hosted)
        {
            if (!issued.Access.Any(a => a.Name == reference.Repository.Value && a.Actions.Contains("pull")))
            {
                throw DomainException.Forbidden($"You may not pull image {image} (repository {reference.Repository.Value}).");
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (image, reference) in hosted)
        {
            if (pinned is not null && pinned.TryGetValue(image, out var kept))
            {
                result[image] = kept;
            }
            else if (reference.Digest is { } digest)
            {
                result[image] = reference.Tag is { } tag ? $"{reference.Image}:{tag}@{digest.Value}" : $"{reference.Image}@{digest.Value}";
            }
            else
            {
                var tag = reference.Tag ?? "latest";
                var manifest = await tags.ResolveTagAsync(reference.Repository, tag, cancellationToken)
                    ?? throw DomainException.Invalid("files", $"Image {image}: repository {reference.Repository.Value} has no tag '{tag}' in Dockyard.");
                result[image] = $"{reference.Image}:{tag}@{manifest.Digest.Value}";
            }
        }

        var auth = RegistryAuthHeader.Encode(RegistryCredentials.ForToken(issued.Token, hosted.Values.First().Address));
        return new StackImageResolution(
            result,
            hosted.ToDictionary(h => h.Key, h => new StackHostedImage(h.Value.Repository.Value, h.Value.Digest is null ? h.Value.Tag ?? "latest" : h.Value.Tag), StringComparer.Ordinal),
            auth,
            warnings);
    }

    /// <summary>The digest a Dockyard-hosted <paramref name="repository"/>:<paramref name="tag"/> points at now, or null.</summary>
    public async Task<string?> CurrentDigestAsync(string repository, string tag, CancellationToken cancellationToken) =>
        RepositoryName.TryParse(repository, out var name) && await tags.ResolveTagAsync(name, tag, cancellationToken) is { } manifest
            ? manifest.Digest.Value
            : null;
}
