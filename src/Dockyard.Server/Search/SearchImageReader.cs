using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Storage;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Search;

/// <summary>
/// Reads what search indexes from one manifest's content: its annotations, and from its image config (an index: the
/// configs of its first <see cref="MaxChildren"/> platform images) labels and platform. Straight from storage with size
/// caps, never through <c>ManifestService</c>: indexing is not a pull. A blob that is missing or unreadable gives
/// fewer facts, never an error (a half-written push is indexed again by its own event).
/// </summary>
internal sealed class SearchImageReader(IStorageDriver storage, IOptions<RegistryOptions> registry)
{
    /// <summary>Platform images of an index whose configs are read (a 40-platform index costs no more than this).</summary>
    public const int MaxChildren = 16;

    /// <summary>The OCI annotation (and, by convention, label) naming the base image.</summary>
    public const string BaseNameKey = "org.opencontainers.image.base.name";

    public async Task<SearchImageEntity> ReadAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var platforms = new List<string>();
        var manifest = await ReadManifestAsync(digest, cancellationToken);
        if (manifest is not null)
        {
            Merge(annotations, manifest.Annotations);
            if (manifest.IsIndex)
            {
                foreach (var child in manifest.Manifests.Where(c => c.Platform is not { Os: "unknown" }).Take(MaxChildren))
                {
                    var childManifest = await ReadManifestAsync(child.Digest, cancellationToken);
                    Merge(annotations, childManifest?.Annotations);
                    var config = childManifest is null ? null : await ReadConfigAsync(childManifest, cancellationToken);
                    Merge(labels, config?.Labels);
                    AddPlatform(platforms, child.Platform is { } p ? (p.Os, p.Architecture, p.Variant) : Platform(config));
                }
            }
            else
            {
                var config = await ReadConfigAsync(manifest, cancellationToken);
                Merge(labels, config?.Labels);
                AddPlatform(platforms, Platform(config));
            }
        }

        return new SearchImageEntity
        {
            Repository = repository,
            Digest = digest.Value,
            Labels = Lines(labels),
            Annotations = Lines(annotations),
            Platforms = Cap(string.Join(',', platforms), 1024),
            BaseImage = (annotations.GetValueOrDefault(BaseNameKey) ?? labels.GetValueOrDefault(BaseNameKey)) is { } name ? Cap(name, 512) : null,
        };
    }

    private async Task<ParsedManifest?> ReadManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        var body = await ReadCappedAsync(digest, registry.Value.MaxManifestBytes, cancellationToken);
        try
        {
            return body is null ? null : ManifestParser.Parse(body, null);
        }
        catch (RegistryException)
        {
            return null;
        }
    }

    private async Task<ImageConfig?> ReadConfigAsync(ParsedManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Config is not { } descriptor || descriptor.Size > ImageConfig.MaxSize
            || descriptor.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
        {
            return null;
        }

        var body = await ReadCappedAsync(descriptor.Digest, ImageConfig.MaxSize, cancellationToken);
        try
        {
            return body is null ? null : ImageConfig.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<byte[]?> ReadCappedAsync(Digest digest, int maxBytes, CancellationToken cancellationToken)
    {
        var info = await storage.StatAsync(StoragePaths.Blob(digest), cancellationToken);
        if (info is null || info.Size > maxBytes)
        {
            return null;
        }

        return await storage.GetContentAsync(StoragePaths.Blob(digest), cancellationToken);
    }

    private static (string Os, string Architecture, string? Variant)? Platform(ImageConfig? config) =>
        config is { Os: { } os, Architecture: { } architecture } ? (os, architecture, config.Variant) : null;

    private static void AddPlatform(List<string> platforms, (string Os, string Architecture, string? Variant)? platform)
    {
        if (platform is { } p)
        {
            var text = string.IsNullOrEmpty(p.Variant) ? $"{p.Os}/{p.Architecture}" : $"{p.Os}/{p.Architecture}/{p.Variant}";
            if (!platforms.Contains(text))
            {
                platforms.Add(text);
            }
        }
    }

    private static void Merge(SortedDictionary<string, string> into, IReadOnlyDictionary<string, string>? from)
    {
        foreach (var (key, value) in from ?? new Dictionary<string, string>())
        {
            // One line per pair: a key or value with a line break cannot be matched by the label filter anyway.
            if (!key.Contains('\n', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal) && key.Length + value.Length < 1024)
            {
                into.TryAdd(key, value);
            }
        }
    }

    private static string Lines(SortedDictionary<string, string> pairs) =>
        Cap(string.Concat(pairs.Select(p => p.Key + "=" + p.Value + "\n")), 32 * 1024);

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..max];
}
