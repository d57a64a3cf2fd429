using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Works out a manifest's platforms and compressed size from its content (the manifest, the config blob, an index's
/// children) and stores them in <c>manifests.platforms</c> / <c>manifests.content_size</c>, so each manifest is read
/// from storage once, the first time a page shows it, and lists after that are plain queries.
/// </summary>
internal sealed partial class ManifestSummarizer(
    IDbContextFactory<DockyardDbContext> contexts,
    BlobReader blobs,
    IOptions<RegistryOptions> registry,
    ILogger<ManifestSummarizer> logger)
{
    /// <summary>Index entries of this platform are build attestations, not images (BuildKit).</summary>
    private const string UnknownPlatform = "unknown/unknown";

    /// <summary>Summaries of the given manifests of one repository; computes and stores the missing ones.</summary>
    public async Task<IReadOnlyDictionary<string, ManifestSummary>> GetAsync(RepositoryName repository, IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Manifests.AsNoTracking()
            .Where(m => m.Repository == repository.Value && digests.Contains(m.Digest))
            .Select(m => new { m.Digest, m.MediaType, m.Platforms, m.ContentSize })
            .ToListAsync(cancellationToken);
        var result = new Dictionary<string, ManifestSummary>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.ContentSize is not null)
            {
                result[row.Digest] = ManifestSummary.FromColumns(row.Platforms, row.ContentSize);
                continue;
            }

            var summary = await ComputeAsync(Digest.Parse(row.Digest), depth: 0, cancellationToken);
            result[row.Digest] = summary;
            if (summary.ContentSize is { } size)
            {
                var platforms = string.Join(',', summary.Platforms);
                await db.Manifests.Where(m => m.Repository == repository.Value && m.Digest == row.Digest)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Platforms, platforms.Length > 1024 ? platforms[..1024] : platforms).SetProperty(m => m.ContentSize, size), cancellationToken);
            }
        }

        return result;
    }

    private async Task<ManifestSummary> ComputeAsync(Digest digest, int depth, CancellationToken cancellationToken)
    {
        var body = await blobs.ReadAsync(digest, registry.Value.MaxManifestBytes, cancellationToken);
        if (body is null)
        {
            return ManifestSummary.Unknown;
        }

        ParsedManifest manifest;
        try
        {
            manifest = ManifestParser.Parse(body, null);
        }
        catch (RegistryException)
        {
            return ManifestSummary.Unknown;
        }

        if (manifest.IsIndex)
        {
            if (depth > 0)
            {
                return ManifestSummary.Unknown;
            }

            var platforms = new List<string>();
            long total = 0;
            foreach (var child in manifest.Manifests)
            {
                var platform = child.Platform is { } p ? PlatformText(p.Os, p.Architecture, p.Variant) : null;
                if (platform == UnknownPlatform)
                {
                    continue;
                }

                var summary = await ComputeAsync(child.Digest, depth + 1, cancellationToken);
                platform ??= summary.Platforms.FirstOrDefault();
                if (platform is not null && !platforms.Contains(platform))
                {
                    platforms.Add(platform);
                }

                total += summary.ContentSize ?? 0;
            }

            return new ManifestSummary(platforms, total);
        }

        var size = (manifest.Config?.Size ?? 0) + manifest.Layers.Sum(l => l.Size);
        if (manifest.Config is not { } config)
        {
            return new ManifestSummary([], size);
        }

        var configBody = await blobs.ReadAsync(config.Digest, ImageConfig.MaxSize, cancellationToken);
        try
        {
            var parsed = configBody is null ? null : ImageConfig.Parse(configBody);
            return parsed is { Os: { } os, Architecture: { } arch } ? new ManifestSummary([PlatformText(os, arch, parsed.Variant)], size) : new ManifestSummary([], size);
        }
        catch (JsonException exception)
        {
            // An artifact (signature, SBOM) has a config that is not an image config: no platform, still a size.
            LogConfigUnreadable(logger, config.Digest.Value, exception.Message);
            return new ManifestSummary([], size);
        }
    }

    public static string PlatformText(string os, string architecture, string? variant) =>
        string.IsNullOrEmpty(variant) ? $"{os}/{architecture}" : $"{os}/{architecture}/{variant}";

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Config blob {Digest} is not an image config: {Reason}")]
    private static partial void LogConfigUnreadable(ILogger logger, string digest, string reason);
}
