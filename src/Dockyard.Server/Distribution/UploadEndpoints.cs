using System.Globalization;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>/v2/{name}/blobs/uploads/</c> (POST: start, single-request push, or cross-repository mount) and
/// <c>/v2/{name}/blobs/uploads/{id}</c> (GET status, PATCH chunk, PUT complete, DELETE cancel).
/// </summary>
internal static class UploadEndpoints
{
    public static async Task StartAsync(HttpContext context, RepositoryName name)
    {
        var query = context.Request.Query;
        var uploads = context.RequestServices.GetRequiredService<UploadService>();
        var cancellationToken = context.RequestAborted;

        if (query.TryGetValue("mount", out var mount) && RepositoryName.TryParse(query["from"].ToString(), out var from)
            && CrossRepositoryMount.IsAllowed(context)
            && Digest.TryParse(mount.ToString(), out var mountDigest))
        {
            var blobs = context.RequestServices.GetRequiredService<BlobService>();
            if (await blobs.MountAsync(from, name, mountDigest, cancellationToken) is { } mounted)
            {
                WriteBlobCreated(context.Response, name, mounted.Digest);
                return;
            }

            // Not mountable (unknown in the source): fall through to an ordinary upload, as the spec asks.
        }

        if (query.TryGetValue("digest", out var digestValue))
        {
            var digest = BlobEndpoints.ParseDigest(digestValue.ToString());
            var session = await uploads.StartAsync(name, cancellationToken);
            var metrics = context.RequestServices.GetRequiredService<RegistryMetrics>();
            var descriptor = await uploads.CompleteAsync(name, session.Id, digest, CountedBody(context, metrics), null, context.Request.ContentLength, cancellationToken);
            WriteBlobCreated(context.Response, name, descriptor.Digest);
            return;
        }

        var status = await uploads.StartAsync(name, cancellationToken);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        WriteUploadHeaders(context.Response, status);
    }

    public static Task HandleAsync(HttpContext context, RepositoryName name, string uploadId)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsPatch(method))
        {
            return PatchAsync(context, name, uploadId);
        }

        if (HttpMethods.IsPut(method))
        {
            return PutAsync(context, name, uploadId);
        }

        return HttpMethods.IsDelete(method) ? CancelAsync(context, name, uploadId) : StatusAsync(context, name, uploadId);
    }

    private static async Task StatusAsync(HttpContext context, RepositoryName name, string uploadId)
    {
        var uploads = context.RequestServices.GetRequiredService<UploadService>();
        var status = await uploads.GetStatusAsync(name, uploadId, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        WriteUploadHeaders(context.Response, status);
    }

    private static async Task PatchAsync(HttpContext context, RepositoryName name, string uploadId)
    {
        var (rangeStart, expectedLength) = ReadChunkBounds(context.Request);
        var uploads = context.RequestServices.GetRequiredService<UploadService>();
        var metrics = context.RequestServices.GetRequiredService<RegistryMetrics>();
        var status = await uploads.AppendAsync(name, uploadId, CountedBody(context, metrics), rangeStart, expectedLength, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        WriteUploadHeaders(context.Response, status);
    }

    private static async Task PutAsync(HttpContext context, RepositoryName name, string uploadId)
    {
        var digestValue = context.Request.Query["digest"].ToString();
        if (digestValue.Length == 0)
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "Completing an upload needs ?digest=<digest> in the URL.");
        }

        var digest = BlobEndpoints.ParseDigest(digestValue);
        var (rangeStart, expectedLength) = ReadChunkBounds(context.Request);
        var uploads = context.RequestServices.GetRequiredService<UploadService>();
        var metrics = context.RequestServices.GetRequiredService<RegistryMetrics>();
        var descriptor = await uploads.CompleteAsync(name, uploadId, digest, CountedBody(context, metrics), rangeStart, expectedLength, context.RequestAborted);
        WriteBlobCreated(context.Response, name, descriptor.Digest);
    }

    private static async Task CancelAsync(HttpContext context, RepositoryName name, string uploadId)
    {
        var uploads = context.RequestServices.GetRequiredService<UploadService>();
        await uploads.CancelAsync(name, uploadId, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Reads Content-Range (<c>start-end</c>, optionally with a <c>bytes </c> prefix and <c>/total</c>) and
    /// Content-Length. When both are given they must agree, checked before a byte is written.
    /// </summary>
    private static (long? Start, long? Length) ReadChunkBounds(HttpRequest request)
    {
        var contentLength = request.ContentLength;
        var header = request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return (null, contentLength);
        }

        var spec = header.AsSpan().Trim();
        if (spec.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            spec = spec[5..].TrimStart(" =");
        }

        var slash = spec.IndexOf('/');
        if (slash >= 0)
        {
            spec = spec[..slash];
        }

        var dash = spec.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "Content-Range must be '<start>-<end>' with end >= start.", new { contentRange = header });
        }

        var length = end - start + 1;
        if (contentLength is { } declared && declared != length)
        {
            throw new RegistryException(
                RegistryErrorCode.SizeInvalid,
                $"Content-Length {declared} does not match Content-Range {start}-{end} ({length} bytes).",
                new { contentLength = declared, contentRange = header });
        }

        return (start, length);
    }

    private static Stream CountedBody(HttpContext context, RegistryMetrics metrics) =>
        new CountingReadStream(context.Request.Body, metrics.AddBytesIn);

    private static void WriteUploadHeaders(HttpResponse response, UploadStatus status)
    {
        response.Headers.Location = $"/v2/{status.Repository.Value}/blobs/uploads/{status.Id}";
        response.Headers[RegistryHeaders.UploadUuid] = status.Id;
        // Distribution's convention: "0-0" for an empty upload, else the last byte's offset.
        response.Headers.Range = string.Create(CultureInfo.InvariantCulture, $"0-{Math.Max(0, status.Size - 1)}");
        response.ContentLength = 0;
    }

    private static void WriteBlobCreated(HttpResponse response, RepositoryName name, Digest digest)
    {
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{name.Value}/blobs/{digest.Value}";
        response.Headers[RegistryHeaders.ContentDigest] = digest.Value;
        response.ContentLength = 0;
    }
}
