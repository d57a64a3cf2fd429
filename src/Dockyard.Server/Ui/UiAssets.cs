using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Dockyard.Server.Ui;

/// <summary>
/// The UI's stylesheet and script, embedded in the binary and served from <c>/_ui/{file}</c>: nothing comes from a CDN,
/// and nothing depends on a static-web-assets manifest next to the executable. URLs carry a content hash
/// (<c>?v=…</c>) so browsers may cache them for good.
/// </summary>
internal sealed class UiAssets
{
    public const string Prefix = "/_ui/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public UiAssets()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            assets[name] = new Asset(content, ContentTypeOf(name), version);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ResourcePrefix => "Dockyard.Ui.";

    /// <summary>The versioned URL of an embedded asset.</summary>
    public string Url(string name) =>
        _assets.TryGetValue(name, out var asset) ? $"{Prefix}{name}?v={asset.Version}" : throw new ArgumentException($"No UI asset named '{name}'.", nameof(name));

    public IResult Serve(HttpContext context, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var etag = $"\"{asset.Version}\"";
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = context.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
