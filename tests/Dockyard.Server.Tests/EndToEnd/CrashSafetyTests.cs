using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// kill -9 of the server in the middle of a blob upload body, then restart on the same data directory:
/// nothing half-written may become a blob, and what a 202 acknowledged must survive.
/// Each test has its own server process (it gets killed).
/// </summary>
public sealed class CrashSafetyTests
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan PauseTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;

    public CrashSafetyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Kill_during_monolithic_put_leaves_no_blob()
    {
        const ulong seed = 0x6D6F6E6FUL;
        const long total = 256 * MiB;
        var digest = DeterministicData.Sha256Digest(seed, 0, total);

        await using var server = await DockyardProcess.StartAsync();
        using var client = server.CreateClient();
        try
        {
            var location = await StartUploadAsync(client, "crash/mono");
            var content = new GeneratedContent(seed, 0, total, pauseAfter: 96 * MiB);
            using var put = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = content };
            await KillMidBodyAsync(server, client, put, content);

            await server.RestartAsync();
            await AssertStatusAsync(client, HttpMethod.Head, $"v2/crash/mono/blobs/{digest}", HttpStatusCode.NotFound);
            await AssertStatusAsync(client, HttpMethod.Get, $"v2/crash/mono/blobs/{digest}", HttpStatusCode.NotFound);

            // A complete upload of the same content afterwards is unaffected by the leftovers.
            var retry = await StartUploadAsync(client, "crash/mono");
            using var fullPut = new HttpRequestMessage(HttpMethod.Put, WithDigest(retry, digest)) { Content = new GeneratedContent(seed, 0, total) };
            using var created = await client.SendAsync(fullPut);
            await AssertStatusAsync(created, HttpStatusCode.Created, "PUT complete monolithic upload after the crash");
            await AssertBlobAsync(client, "crash/mono", digest, total);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{server.Output}", ex);
        }
    }

    [Fact]
    public async Task Kill_during_chunk_keeps_acknowledged_chunks_and_upload_resumes()
    {
        const ulong seed = 0x6368756EUL;
        const long chunk1 = 8 * MiB;
        const long total = 40 * MiB;
        var digest = DeterministicData.Sha256Digest(seed, 0, total);

        await using var server = await DockyardProcess.StartAsync();
        using var client = server.CreateClient();
        try
        {
            var location = await StartUploadAsync(client, "crash/chunked");

            using (var patch1 = Patch(location, seed, 0, chunk1))
            using (var response = await client.SendAsync(patch1))
            {
                await AssertStatusAsync(response, HttpStatusCode.Accepted, "PATCH chunk 1");
                Assert.Equal(chunk1 - 1, RangeEnd(response));
                location = ResolveLocation(response, location);
            }

            var content = new GeneratedContent(seed, chunk1, total - chunk1, pauseAfter: 8 * MiB);
            using (var patch2 = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content })
            {
                patch2.Content.Headers.TryAddWithoutValidation("Content-Range", $"{chunk1}-{total - 1}");
                await KillMidBodyAsync(server, client, patch2, content);
            }

            await server.RestartAsync();

            long resumeFrom;
            using (var status = await client.GetAsync(location))
            {
                await AssertStatusAsync(status, HttpStatusCode.NoContent, "GET upload status after the crash");
                var end = RangeEnd(status);
                _output.WriteLine($"after the crash the upload reports Range 0-{end} (chunk 1 ended at {chunk1 - 1}, {total} total)");
                Assert.InRange(end, chunk1 - 1, total - 2);
                resumeFrom = end + 1;
                location = ResolveLocation(status, location);
            }

            using (var patch3 = Patch(location, seed, resumeFrom, total - resumeFrom))
            using (var response = await client.SendAsync(patch3))
            {
                await AssertStatusAsync(response, HttpStatusCode.Accepted, $"PATCH the rest from offset {resumeFrom}");
                Assert.Equal(total - 1, RangeEnd(response));
                location = ResolveLocation(response, location);
            }

            using (var put = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)))
            {
                put.Content = new ByteArrayContent([]);
                put.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
                using var response = await client.SendAsync(put);
                await AssertStatusAsync(response, HttpStatusCode.Created, "PUT ?digest to complete the upload");
                Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
            }

            await AssertBlobAsync(client, "crash/chunked", digest, total);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{server.Output}", ex);
        }
    }

    /// <summary>Sends <paramref name="request"/>, waits until its body is paused mid-stream, kills the server, then ends the request.</summary>
    private async Task KillMidBodyAsync(DockyardProcess server, HttpClient client, HttpRequestMessage request, GeneratedContent content)
    {
        var send = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var first = await Task.WhenAny(content.Paused, send, Task.Delay(PauseTimeout));
        if (first == send)
        {
            using var early = await send;
            Assert.Fail($"{request.Method} answered {(int)early.StatusCode} after only {content.BytesWritten} body bytes: " +
                        await early.Content.ReadAsStringAsync());
        }

        Assert.True(first == content.Paused, $"{request.Method} body did not reach its pause point within {PauseTimeout.TotalSeconds:0} s");
        await Task.Delay(300); // let the server take in what is already on the socket
        var pid = server.Pid;
        await server.KillAsync();
        _output.WriteLine($"killed dockyard (pid {pid}) with {content.BytesWritten} body bytes sent");

        content.Abort();
        try
        {
            using var response = await send.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Fail($"{request.Method} unexpectedly completed with {(int)response.StatusCode} although the server was killed");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            // expected: the connection died with the server
        }
    }

    private static async Task<Uri> StartUploadAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        await AssertStatusAsync(response, HttpStatusCode.Accepted, $"POST /v2/{repository}/blobs/uploads/");
        Assert.NotNull(response.Headers.Location);
        return ResolveLocation(response, client.BaseAddress!);
    }

    private static HttpRequestMessage Patch(Uri location, ulong seed, long offset, long length)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new GeneratedContent(seed, offset, length) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        return request;
    }

    private static async Task AssertBlobAsync(HttpClient client, string repository, string digest, long size)
    {
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"))
        using (var response = await client.SendAsync(head))
        {
            await AssertStatusAsync(response, HttpStatusCode.OK, $"HEAD blob {digest}");
            Assert.Equal(size, response.Content.Headers.ContentLength);
        }

        using var get = await client.GetAsync($"v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        await AssertStatusAsync(get, HttpStatusCode.OK, $"GET blob {digest}");
        await using var body = await get.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long read = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            read += n;
        }

        Assert.Equal(size, read);
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task AssertStatusAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await client.SendAsync(request);
        await AssertStatusAsync(response, expected, $"{method} {path}");
    }

    private static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{what}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>The inclusive end of a "0-N" (or "bytes=0-N") Range header.</summary>
    private static long RangeEnd(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Range", out var values), $"no Range header in the {(int)response.StatusCode} response");
        var range = values.Single();
        var spec = range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) ? range["bytes=".Length..] : range;
        var parts = spec.Split('-');
        Assert.True(parts.Length == 2 && parts[0] == "0", $"unexpected Range header `{range}`");
        return long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The response's Location (absolute, or resolved against the request URI), else the previous one.</summary>
    private static Uri ResolveLocation(HttpResponseMessage response, Uri previous)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return previous;
        }

        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage?.RequestUri ?? previous, location);
    }

    private static Uri WithDigest(Uri location, string digest)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest));
    }
}
