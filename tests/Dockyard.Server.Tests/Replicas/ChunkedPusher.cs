using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Pushes images the way a chunking OCI client does (HEAD, POST, PATCH chunks with Content-Range, PUT ?digest,
/// PUT manifest), each request on its own through the load balancer, so consecutive chunks of one upload land on
/// different replicas. A failed attempt (connection error, 5xx, a replica gone mid-upload) restarts the image push
/// from the top, like docker does, at most <see cref="MaxAttempts"/> times.
/// </summary>
public sealed class ChunkedPusher(HttpClient http, int chunkBytes)
{
    public const int MaxAttempts = 6;

    /// <summary>(repository:tag) → every manifest digest whose PUT was sent (acknowledged or not: a replica may commit and die before answering).</summary>
    public ConcurrentDictionary<string, ConcurrentBag<string>> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>Failed attempts that were retried, for the test output.</summary>
    public ConcurrentQueue<string> RetriedFailures { get; } = new();

    /// <summary>Pushes <paramref name="image"/> with bounded retries; returns the acknowledged manifest digest.</summary>
    public async Task<string> PushAsync(PushedImage image, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PushOnceAsync(image, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested &&
                                       ex is HttpRequestException or IOException or TaskCanceledException or PushAttemptException)
            {
                RetriedFailures.Enqueue($"{image.Repository}:{image.Tag} attempt {attempt}: {ex.GetType().Name}: {ex.Message}");
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    private async Task<string> PushOnceAsync(PushedImage image, CancellationToken cancellationToken)
    {
        await PushBlobAsync(image.Repository, image.Config, image.ConfigDigest, cancellationToken);
        await PushBlobAsync(image.Repository, image.Layer, image.LayerDigest, cancellationToken);

        Sent.GetOrAdd($"{image.Repository}:{image.Tag}", _ => []).Add(image.ManifestDigest);
        using var content = new StringContent(image.ManifestJson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(Hosting.TestManifests.OciManifest);
        using var response = await http.PutAsync($"/v2/{image.Repository}/manifests/{image.Tag}", content, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Created, "PUT manifest", cancellationToken);
        var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        if (digest != image.ManifestDigest)
        {
            throw new InvalidOperationException($"PUT manifest answered digest {digest}, expected {image.ManifestDigest}");
        }

        return digest;
    }

    private async Task PushBlobAsync(string repository, byte[] blob, string digest, CancellationToken cancellationToken)
    {
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        using (var exists = await http.SendAsync(head, cancellationToken))
        {
            if (exists.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }

        string location;
        using (var start = await http.PostAsync($"/v2/{repository}/blobs/uploads/", null, cancellationToken))
        {
            await ExpectAsync(start, HttpStatusCode.Accepted, "POST upload", cancellationToken);
            location = start.Headers.Location!.OriginalString;
        }

        for (var offset = 0; offset < blob.Length; offset += chunkBytes)
        {
            var length = Math.Min(chunkBytes, blob.Length - offset);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(blob, offset, length) };
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
            using var response = await http.SendAsync(patch, cancellationToken);
            await ExpectAsync(response, HttpStatusCode.Accepted, $"PATCH {offset}-{offset + length - 1}", cancellationToken);
            location = response.Headers.Location?.OriginalString ?? location;
        }

        var separator = location.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{location}{separator}digest={Uri.EscapeDataString(digest)}") { Content = new ByteArrayContent([]) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await http.SendAsync(put, cancellationToken);
        await ExpectAsync(done, HttpStatusCode.Created, "PUT upload ?digest", cancellationToken);
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"{what}: {(int)response.StatusCode} {body.Trim()}";
        // Server-side and gateway failures (a replica killed mid-request) are what a client retries, and so is an upload
        // session that a replica completed just before it died (nginx re-sent the idempotent PUT to another replica).
        // Any other 4xx is a bug the test must report at once.
        if ((int)response.StatusCode >= 500 || body.Contains("BLOB_UPLOAD_UNKNOWN", StringComparison.Ordinal))
        {
            throw new PushAttemptException(message);
        }

        throw new InvalidOperationException(message);
    }
}
