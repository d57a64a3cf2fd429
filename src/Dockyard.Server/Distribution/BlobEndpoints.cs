using System.Buffers;
using System.Globalization;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Storage;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Distribution;

/// <summary><c>/v2/{name}/blobs/{digest}</c>: GET (with Range), HEAD, DELETE.</summary>
internal static class BlobEndpoints
{
    private const int CopyBufferSize = 256 * 1024;

    public static Task HandleAsync(HttpContext context, RepositoryName name, string rawDigest)
    {
        var digest = ParseDigest(rawDigest);
        var method = context.Request.Method;
        if (HttpMethods.IsHead(method))
        {
            return HeadAsync(context, name, digest);
        }

        return HttpMethods.IsGet(method) ? GetAsync(context, name, digest) : DeleteAsync(context, name, digest);
    }

    public static Digest ParseDigest(string raw) =>
        Digest.TryParse(raw, out var digest)
            ? digest
            : throw new RegistryException(RegistryErrorCode.DigestInvalid, "Invalid digest: expected sha256:<64 hex> or sha512:<128 hex>.", new { digest = raw });

    private static async Task HeadAsync(HttpContext context, RepositoryName name, Digest digest)
    {
        var blobs = context.RequestServices.GetRequiredService<BlobService>();
        var size = await blobs.GetSizeAsync(name, digest, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "Blob unknown to this repository.", new { digest = digest.Value });
        WriteHeaders(context.Response, digest, size);
    }

    private static void WriteHeaders(HttpResponse response, Digest digest, long size)
    {
        response.ContentType = "application/octet-stream";
        response.ContentLength = size;
        response.Headers[RegistryHeaders.ContentDigest] = digest.Value;
        response.Headers.ETag = $"\"{digest.Value}\"";
        response.Headers.AcceptRanges = "bytes";
        // Content-addressed: the bytes behind a digest never change.
        response.Headers.CacheControl = "max-age=31536000";
    }

    private static async Task GetAsync(HttpContext context, RepositoryName name, Digest digest)
    {
        var blobs = context.RequestServices.GetRequiredService<BlobService>();
        var size = await blobs.GetSizeAsync(name, digest, context.RequestAborted)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "Blob unknown to this repository.", new { digest = digest.Value });

        // Configured S3 redirects: the client fetches the bytes (and its Range) straight from the bucket.
        if (context.RequestServices.GetRequiredService<IStorageDriver>() is IPresignedUrlSource presigned
            && await presigned.GetReadUrlAsync(StoragePaths.Blob(digest), context.RequestAborted) is { } url)
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = url.OriginalString;
            context.Response.Headers[RegistryHeaders.ContentDigest] = digest.Value;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentLength = 0;
            return;
        }

        long offset = 0;
        var length = size;
        var response = context.Response;
        var range = ParseRange(context.Request.Headers.Range.ToString(), size);
        if (range is { } r)
        {
            if (r.Start >= size || r.End < r.Start)
            {
                response.Headers.ContentRange = $"bytes */{size}";
                throw new RegistryException(RegistryErrorCode.RangeInvalid, "The requested range is outside the blob.", new { size });
            }

            offset = r.Start;
            length = Math.Min(r.End, size - 1) - r.Start + 1;
        }

        var stream = await blobs.OpenAsync(digest, offset, context.RequestAborted);
        await using (stream)
        {
            WriteHeaders(response, digest, length);
            if (range is not null)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{size}");
            }

            var written = await CopyAsync(stream, response.Body, length, context.RequestAborted);
            context.RequestServices.GetRequiredService<RegistryMetrics>().AddBytesOut(written);
        }
    }

    /// <summary>Parses a single <c>bytes=start-end</c>, <c>bytes=start-</c> or <c>bytes=-suffix</c> range; null when absent or multi-range (served whole).</summary>
    private static (long Start, long End)? ParseRange(string header, long size)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header.AsSpan("bytes=".Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var startText = spec[..dash].Trim();
        var endText = spec[(dash + 1)..].Trim();
        if (startText.IsEmpty)
        {
            if (!long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return null;
            }

            return (Math.Max(0, size - suffix), size - 1);
        }

        if (!long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        if (endText.IsEmpty)
        {
            return (start, size - 1);
        }

        return long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? (start, end) : null;
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long remaining = length;
        try
        {
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return length - remaining;
    }

    private static async Task DeleteAsync(HttpContext context, RepositoryName name, Digest digest)
    {
        var blobs = context.RequestServices.GetRequiredService<BlobService>();
        await blobs.DeleteAsync(name, digest, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
