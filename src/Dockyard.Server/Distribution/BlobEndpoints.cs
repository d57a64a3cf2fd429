using System.Globalization;
using System.IO.Pipelines;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Storage;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Distribution;

/// <summary><c>/v2/{name}/blobs/{digest}</c>: GET (with Range), HEAD, DELETE.</summary>
internal static class BlobEndpoints
{
    // Bytes read per syscall and sent per flush; 1 MiB measured no better (bench/README.md, "Pull efficiency").
    private const int SendChunkSize = 256 * 1024;

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

            var written = await SendAsync(stream, response, length, context.RequestAborted);
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

    /// <summary>
    /// Streams <paramref name="length"/> bytes of <paramref name="source"/> into the response by reading straight into
    /// Kestrel's output buffer (<see cref="PipeWriter.GetMemory"/>), so every byte is copied once in user space, not twice
    /// (file → our buffer → Kestrel's 4 KiB blocks). A hint above Kestrel's block size makes the pipe rent one
    /// contiguous buffer, sent with one syscall. Measured by bench/run.sh ("Pull efficiency", issue #19).
    /// </summary>
    private static async Task<long> SendAsync(Stream source, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken);
        var writer = response.BodyWriter;
        // Local files: positional reads on the handle skip FileStream's buffering layer (the stream is at the range's start).
        var file = source as FileStream;
        var handle = file?.SafeFileHandle;
        var position = file?.Position ?? 0;
        var remaining = length;
        while (remaining > 0)
        {
            var memory = writer.GetMemory(SendChunkSize);
            var target = memory[..(int)Math.Min(Math.Min(memory.Length, SendChunkSize), remaining)];
            var read = handle is null
                ? await source.ReadAsync(target, cancellationToken)
                : await RandomAccess.ReadAsync(handle, target, position, cancellationToken);
            if (read == 0)
            {
                break;
            }

            position += read;
            remaining -= read;
            writer.Advance(read);
            var flush = await writer.FlushAsync(cancellationToken);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                break;
            }
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
