using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// A real server whose data directory is a small tmpfs, filled by a push: the push is refused with 507 and an OCI
/// error, its bytes are freed at once, and while a filler file keeps the disk full, docker-style token logins and
/// pulls keep working (their audit entries are deferred); once space is back the deferred entries reach the trail and
/// the chain verifies. One process for the whole story (it is the story).
/// </summary>
public sealed class FullDiskTests
{
    private const long MiB = 1024 * 1024;
    private const long DiskSize = 64 * MiB;
    private const string Password = "full-disk-admin-pw-1";
    private const string Repository = "full/app";

    private readonly ITestOutputHelper _output;

    public FullDiskTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Full_disk_refuses_writes_with_507_frees_the_upload_and_keeps_logins_and_pulls_working()
    {
        string? mounted = null;
        DockyardProcess? server = null;
        try
        {
            server = await DockyardProcess.StartAsync(
                new Dictionary<string, string>
                {
                    ["DOCKYARD__AUTH__ENABLED"] = "true",
                    ["DOCKYARD_ADMIN_PASSWORD"] = Password,
                    ["Dockyard__Audit__DeferredRetryInterval"] = "00:00:01",
                },
                async data =>
                {
                    await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={DiskSize},mode=0700", "tmpfs", data]);
                    mounted = data;
                });
            await RunAsync(server);
        }
        catch (Exception ex) when (server is not null && ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{server.Output}", ex);
        }
        finally
        {
            if (server is not null)
            {
                await server.KillAsync();
            }

            if (mounted is not null)
            {
                await ProcessRunner.RunUncheckedAsync("umount", [mounted]);
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private async Task RunAsync(DockyardProcess server)
    {
        var data = server.DataDirectory;
        using var client = server.CreateClient();
        var service = await ServiceAsync(client);
        var pushToken = await TokenAsync(client, service, "pull,push");

        // An image pushed while there is room: the pull later must keep working.
        var layer = RandomNumberGenerator.GetBytes((int)MiB);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layerDigest = await PushBlobAsync(client, pushToken, layer, HttpStatusCode.Created);
        var configDigest = await PushBlobAsync(client, pushToken, config, HttpStatusCode.Created);
        var manifest = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length);
        using (var put = await PutManifestAsync(client, pushToken, "v1", manifest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // A push larger than the disk: 507 with an OCI error, and its bytes are freed at once.
        var before = FreeBytes(data);
        using (var start = await SendAsync(client, HttpMethod.Post, $"v2/{Repository}/blobs/uploads/", pushToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.OriginalString;
            var (status, body) = await PatchAsync(server.BaseAddress, location, pushToken, 2 * DiskSize);
            _output.WriteLine($"PATCH answered {status}: {body}");
            Assert.Equal(507, status);
            AssertOciError(body, "BLOB_UPLOAD_INVALID");
            Assert.True(FreeBytes(data) >= before - MiB, $"the failed upload's bytes were not freed: {FreeBytes(data)} bytes free, {before} before the upload");
            Assert.Empty(UploadSessions(data));
            using var resumed = await SendAsync(client, HttpMethod.Get, location, pushToken);
            Assert.Equal(HttpStatusCode.NotFound, resumed.StatusCode);
        }

        // Fill the disk to the last byte and keep it full.
        var filledAt = DateTimeOffset.UtcNow;
        var filler = Fill(Path.Combine(data, "filler"));
        _output.WriteLine($"filler: {filler} bytes, {FreeBytes(data)} bytes free");

        // Writes are refused with a message, never an empty 500: a monolithic push, a manifest, a management API write.
        var small = RandomNumberGenerator.GetBytes(256 * 1024);
        using (var post = await SendAsync(client, HttpMethod.Post, $"v2/{Repository}/blobs/uploads/?digest={Sha256(small)}", pushToken, new ByteArrayContent(small)))
        {
            Assert.Equal(507, (int)post.StatusCode);
            AssertOciError(await post.Content.ReadAsStringAsync(), "BLOB_UPLOAD_INVALID");
        }

        Assert.Empty(UploadSessions(data));
        var manifest2 = manifest.Insert(manifest.Length - 1, ",\"annotations\":{\"full\":\"yes\"}");
        using (var put = await PutManifestAsync(client, pushToken, "v2", manifest2))
        {
            Assert.Equal(507, (int)put.StatusCode);
            AssertOciError(await put.Content.ReadAsStringAsync(), "MANIFEST_INVALID");
        }

        // Docker-style login (token with Basic) and a pull keep working while the disk stays full.
        var pullToken = await TokenAsync(client, service, "pull");
        using (var get = await SendAsync(client, HttpMethod.Get, $"v2/{Repository}/manifests/v1", pullToken, accept: TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(manifest, await get.Content.ReadAsStringAsync());
        }

        using (var blob = await SendAsync(client, HttpMethod.Get, $"v2/{Repository}/blobs/{layerDigest}", pullToken))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(layerDigest, Sha256(await blob.Content.ReadAsByteArrayAsync()));
        }

        var deferred = await MetricAsync(client, "dockyard_audit_deferred_total");
        _output.WriteLine($"deferred audit entries: {deferred}");
        Assert.True(deferred >= 3, $"dockyard_audit_deferred_total is {deferred}: the login, token and pull entries were not deferred");

        // Space back: no restart, the deferred entries are written, in order, and the chain verifies.
        File.Delete(Path.Combine(data, "filler"));
        var entries = await WaitForEntriesAsync(client, filledAt);
        var actions = entries.Select(e => e.GetProperty("action").GetString()).ToList();
        _output.WriteLine(string.Join(Environment.NewLine, entries.Select(e => e.GetRawText())));
        var login = actions.IndexOf("auth.login.success");
        var token = actions.IndexOf("auth.token.issue");
        var pull = actions.IndexOf("registry.manifest.pull");
        Assert.True(login >= 0 && token > login && pull > token, $"deferred entries missing or out of order: {string.Join(", ", actions)}");
        Assert.Equal(0, await MetricAsync(client, "dockyard_audit_dropped_total"));

        var verify = await DockyardProcess.RunVerbAsync(["audit", "verify", "--data", data], new Dictionary<string, string?>());
        Assert.True(verify.ExitCode == 0, verify.Describe());
        Assert.Contains("audit trail OK", verify.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Polls the audit API (as the admin, after space is back) until the pull entry written after the disk filled appears.</summary>
    private static async Task<List<JsonElement>> WaitForEntriesAsync(HttpClient client, DateTimeOffset since)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var from = Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/audit?from={from}&limit=1000");
            request.Headers.Authorization = Basic();
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var entries = page.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone()).OrderBy(e => e.GetProperty("id").GetInt64()).ToList();
                if (entries.Any(e => e.GetProperty("action").GetString() == "registry.manifest.pull") || DateTime.UtcNow > deadline)
                {
                    return entries;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the audit API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(500);
        }
    }

    private static void AssertOciError(string body, string code)
    {
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("errors")[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains("storage is full", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The <c>service</c> of the registry's challenge, as docker reads it.</summary>
    private static async Task<string> ServiceAsync(HttpClient client)
    {
        using var ping = await client.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        var challenge = ping.Headers.WwwAuthenticate.ToString();
        var start = challenge.IndexOf("service=\"", StringComparison.Ordinal) + "service=\"".Length;
        return challenge[start..challenge.IndexOf('"', start)];
    }

    /// <summary>docker login / docker pull: GET /auth/token with Basic credentials for the repository scope.</summary>
    private static async Task<string> TokenAsync(HttpClient client, string service, string actions)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"auth/token?account=admin&client_id=docker&offline_token=true&service={Uri.EscapeDataString(service)}&scope={Uri.EscapeDataString($"repository:{Repository}:{actions}")}");
        request.Headers.Authorization = Basic();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/auth/token answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    private static AuthenticationHeaderValue Basic() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")));

    private static async Task<string> PushBlobAsync(HttpClient client, string token, byte[] content, HttpStatusCode expected)
    {
        var digest = Sha256(content);
        using var response = await SendAsync(client, HttpMethod.Post, $"v2/{Repository}/blobs/uploads/?digest={digest}", token, new ByteArrayContent(content));
        Assert.Equal(expected, response.StatusCode);
        return digest;
    }

    private static Task<HttpResponseMessage> PutManifestAsync(HttpClient client, string token, string tag, string manifest)
    {
        var content = new StringContent(manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(TestManifests.OciManifest);
        return SendAsync(client, HttpMethod.Put, $"v2/{Repository}/manifests/{tag}", token, content);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string target, string token, HttpContent? content = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, target) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// A PATCH of <paramref name="length"/> random bytes over a raw socket, streamed until the server answers (it
    /// answers before the body ends when the disk fills) or the connection closes; returns the status and body.
    /// </summary>
    private static async Task<(int Status, string Body)> PatchAsync(Uri server, string target, string token, long length)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = $"PATCH {target} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   $"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var stop = new CancellationTokenSource();
        var send = Task.Run(async () =>
        {
            var chunk = RandomNumberGenerator.GetBytes((int)MiB);
            try
            {
                for (long sent = 0; sent < length; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)), stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server answered and closed the connection: what the test is waiting for.
            }
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"the connection closed before a response (received: {Encoding.ASCII.GetString(received.ToArray())})");
            }

            received.Write(buffer, 0, read);
        }

        var headers = Encoding.ASCII.GetString(received.GetBuffer(), 0, headerEnd);
        var status = int.Parse(headers.Split(' ')[1], CultureInfo.InvariantCulture);
        var lengthLine = headers.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var bodyLength = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        while (received.Length < headerEnd + 4 + bodyLength)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        await stop.CancelAsync();
        tcp.Close();
        await send;
        return (status, Encoding.UTF8.GetString(received.GetBuffer(), headerEnd + 4, (int)Math.Min(bodyLength, received.Length - headerEnd - 4)));
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value) =>
        stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(value);

    /// <summary>Writes <paramref name="path"/> until the file system refuses another byte; returns its size.</summary>
    private static long Fill(string path)
    {
        var chunk = new byte[MiB];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { (int)MiB, 4096, 1 })
        {
            try
            {
                while (true)
                {
                    file.Write(chunk, 0, size);
                }
            }
            catch (IOException)
            {
                // Full at this granularity: go on with smaller writes.
            }
        }

        return file.Length;
    }

    /// <summary>The upload session directories left in the filesystem storage (the driver removes emptied parents too).</summary>
    private static string[] UploadSessions(string data)
    {
        var uploads = Path.Combine(data, "storage", "uploads");
        return Directory.Exists(uploads) ? Directory.GetFileSystemEntries(uploads) : [];
    }

    private static long FreeBytes(string path) => new DriveInfo(path).AvailableFreeSpace;

    private static async Task<double> MetricAsync(HttpClient client, string name)
    {
        var text = await client.GetStringAsync("metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
