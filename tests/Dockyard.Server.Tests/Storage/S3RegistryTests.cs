using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.S3;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Tests.Shared;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Storage;

/// <summary>The registry configured for S3 storage, end to end against a real Ceph RGW.</summary>
[Collection(CephRgwCollection.Name)]
public sealed class S3RegistryTests(CephRgwFixture ceph)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task ChunkedUpload_SmallAndLargeChunksAcrossRestart_BlobDigestMatches()
    {
        var bucket = await ceph.CreateBucketAsync();
        await using var server = await InProcessDockyard.StartAsync(settings: S3Settings(bucket));
        var repository = RegistryTestClient.UniqueRepository("s3");
        var content = RandomNumberGenerator.GetBytes((13 * MiB) + 12_345);
        var digest = RegistryTestClient.DigestOf(content);
        var cuts = new[] { 0, 3 * MiB, 10 * MiB + 7, 12 * MiB, content.Length }; // 3 MiB, 7 MiB, 2 MiB, then the rest with the PUT

        string location;
        using (var http = server.CreateClient())
        {
            var client = new RegistryTestClient(http);
            location = await client.StartUploadAsync(repository);
            for (var i = 0; i < 2; i++)
            {
                using var patch = await client.PatchAsync(location, content[cuts[i]..cuts[i + 1]], cuts[i]);
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
                Assert.Equal($"0-{cuts[i + 1] - 1}", patch.Headers.GetValues("Range").Single());
            }
        }

        // A new process knows nothing of the upload: its size comes from S3, its hash from re-reading the stored bytes.
        await server.RestartAsync();

        using var restarted = server.CreateClient();
        var resumed = new RegistryTestClient(restarted);
        using (var status = await restarted.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{cuts[2] - 1}", status.Headers.GetValues("Range").Single());
        }

        using (var patch = await resumed.PatchAsync(location, content[cuts[2]..cuts[3]], cuts[2]))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using (var put = await resumed.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"), content[cuts[3]..], ("Content-Range", $"{cuts[3]}-{content.Length - 1}")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var get = await restarted.GetAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(content.Length, body.Length);
        Assert.Equal(digest, RegistryTestClient.DigestOf(body));

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(6 * MiB, (6 * MiB) + 99);
        using var partial = await restarted.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content.AsSpan(6 * MiB, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        // The blob is one plain object at its content address; nothing of the upload is left behind.
        var objects = await ListKeysAsync(bucket);
        Assert.Contains($"registry/blobs/sha256/{digest[7..9]}/{digest[7..]}", objects);
        Assert.DoesNotContain(objects, key => key.StartsWith("registry/uploads/", StringComparison.Ordinal));
        var uploads = await ceph.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task BlobGet_RedirectEnabled_Returns307ToPresignedUrlWithExactBytes_HeadServedLocally()
    {
        var bucket = await ceph.CreateBucketAsync();
        var settings = S3Settings(bucket);
        settings["Dockyard:Storage:S3:RedirectBlobDownloads"] = "true";
        settings["Dockyard:Storage:S3:RedirectExpiry"] = "00:02:00";
        await using var server = await InProcessDockyard.StartAsync(settings: settings);
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository("s3redirect");
        var content = RandomNumberGenerator.GetBytes((2 * MiB) + 5);
        var digest = await client.PushBlobAsync(repository, content);

        using var get = await http.GetAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        var location = get.Headers.Location!;
        Assert.StartsWith(ceph.Endpoint, location.OriginalString, StringComparison.Ordinal);
        // Expiry from the configured 2 minutes. The SDK subtracts its own "now", corrected by the clock skew it saw in
        // S3's second-granular Date headers, so allow a few seconds either way.
        var expires = System.Text.RegularExpressions.Regex.Match(location.Query, "X-Amz-Expires=([0-9]+)");
        Assert.True(expires.Success, location.OriginalString);
        Assert.InRange(int.Parse(expires.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 110, 130);

        using var direct = new HttpClient();
        using var fetched = await direct.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(content.Length, fetched.Content.Headers.ContentLength);
        Assert.Equal(digest, RegistryTestClient.DigestOf(await fetched.Content.ReadAsByteArrayAsync()));

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());

        // Unknown blobs are still answered by the registry, not redirected.
        using var unknown = await http.GetAsync($"/v2/{repository}/blobs/{RegistryTestClient.DigestOf([1, 2, 3])}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Start_CreateBucket_CreatesMissingBucket()
    {
        var bucket = "dockyard-created-" + Guid.NewGuid().ToString("N")[..10];
        var settings = S3Settings(bucket);
        settings["Dockyard:Storage:S3:CreateBucket"] = "true";

        await using var server = await InProcessDockyard.StartAsync(settings: settings);

        Assert.IsType<S3StorageDriver>(server.GetRequiredService<IStorageDriver>());
        await ceph.Client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket });
    }

    [Fact]
    public async Task Start_MissingBucketWithoutCreate_FailsNamingTheBucket()
    {
        var bucket = "dockyard-missing-" + Guid.NewGuid().ToString("N")[..10];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await InProcessDockyard.StartAsync(settings: S3Settings(bucket)));

        Assert.Contains(bucket, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bucket", "", "Bucket is required")]
    [InlineData("Endpoint", "not a url", "is not an absolute http:// or https:// URL")]
    [InlineData("Endpoint", "ftp://127.0.0.1:9", "is not an absolute http:// or https:// URL")]
    [InlineData("PartSize", "1024", "PartSize must be between")]
    public async Task Start_InvalidS3Options_FailsWithClearMessageAndNoSecret(string key, string value, string message)
    {
        var settings = S3Settings("some-bucket");
        settings[$"Dockyard:Storage:S3:{key}"] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await InProcessDockyard.StartAsync(settings: settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ceph.SecretKey, error.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> S3Settings(string bucket) => new()
    {
        ["Dockyard:Storage:Driver"] = "S3",
        ["Dockyard:Storage:S3:Endpoint"] = ceph.Endpoint,
        ["Dockyard:Storage:S3:Bucket"] = bucket,
        ["Dockyard:Storage:S3:Prefix"] = "registry",
        ["Dockyard:Storage:S3:AccessKey"] = ceph.AccessKey,
        ["Dockyard:Storage:S3:SecretKey"] = ceph.SecretKey,
        ["Dockyard:Storage:S3:ForcePathStyle"] = "true",
        ["Dockyard:Storage:S3:PartSize"] = (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<List<string>> ListKeysAsync(string bucket)
    {
        var response = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }
}
