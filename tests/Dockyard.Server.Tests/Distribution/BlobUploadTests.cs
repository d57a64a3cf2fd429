using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class BlobUploadTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    [Fact]
    public async Task Post_StartUpload_Returns202WithLocationUuidAndEmptyRange()
    {
        var (client, repository) = Setup();
        using var response = await client.Http.PostAsync($"/v2/{repository}/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var uuid = response.Headers.GetValues("Docker-Upload-UUID").Single();
        Assert.Equal($"/v2/{repository}/blobs/uploads/{uuid}", location);
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task Put_MonolithicBodyAfterPost_Returns201WithBlobLocationAndDigest()
    {
        var (client, repository) = Setup();
        var content = Encoding.UTF8.GetBytes("monolithic upload");
        var digest = RegistryTestClient.DigestOf(content);
        var location = await client.StartUploadAsync(repository);

        using var response = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Post_SingleRequestWithDigest_Returns201()
    {
        var (client, repository) = Setup();
        var content = Encoding.UTF8.GetBytes("single request upload");
        var digest = RegistryTestClient.DigestOf(content);

        using var response = await client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Patch_ThreeChunksThenPutWithoutBody_Returns201()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes(3000);
        var location = await client.StartUploadAsync(repository);

        for (var offset = 0; offset < content.Length; offset += 1000)
        {
            using var patch = await client.PatchAsync(location, content[offset..(offset + 1000)], offset);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal($"0-{offset + 999}", patch.Headers.GetValues("Range").Single());
            Assert.Equal(location, patch.Headers.Location!.OriginalString);
        }

        var digest = RegistryTestClient.DigestOf(content);
        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Patch_WithoutContentRange_StreamsAndCompletes()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes(5000);
        var location = await client.StartUploadAsync(repository);

        using (var first = await client.PatchAsync(location, content[..2000]))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-1999", first.Headers.GetValues("Range").Single());
        }

        using (var second = await client.PatchAsync(location, content[2000..]))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.Equal("0-4999", second.Headers.GetValues("Range").Single());
        }

        var digest = RegistryTestClient.DigestOf(content);
        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Put_WithFinalChunkAndContentRange_Returns201()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes(300);
        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(location, content[..100], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        var digest = RegistryTestClient.DigestOf(content);
        using var put = await client.SendAsync(
            HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"), content[100..], ("Content-Range", "100-299"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Get_UploadStatus_Returns204WithRangeAndLocation()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(location, new byte[42], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using var status = await client.Http.GetAsync(location);

        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-41", status.Headers.GetValues("Range").Single());
        Assert.Equal(location, status.Headers.Location!.OriginalString);
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], status.Headers.GetValues("Docker-Upload-UUID").Single());
    }

    [Fact]
    public async Task Delete_Upload_Returns204ThenStatusIsUnknown()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(location, new byte[10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using (var delete = await client.SendAsync(HttpMethod.Delete, location))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var status = await client.Http.GetAsync(location);
        await RegistryTestClient.AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var again = await client.SendAsync(HttpMethod.Delete, location);
        await RegistryTestClient.AssertErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Patch_OutOfOrderChunk_Returns416AndKeepsOffset()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);
        using (var first = await client.PatchAsync(location, new byte[100], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var gap = await client.PatchAsync(location, new byte[100], 200);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
        Assert.Equal("0-99", await StatusRangeAsync(client, location));
    }

    [Fact]
    public async Task Patch_OverlappingChunk_Returns416AndKeepsOffset()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);
        using (var first = await client.PatchAsync(location, new byte[100], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var overlap = await client.PatchAsync(location, new byte[100], 50);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, overlap.StatusCode);
        Assert.Equal("0-99", await StatusRangeAsync(client, location));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5-2")]
    [InlineData("-5")]
    [InlineData("bytes 0-x")]
    public async Task Patch_MalformedContentRange_Returns416AndAppendsNothing(string contentRange)
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);

        using var patch = await client.SendAsync(HttpMethod.Patch, location, new byte[4], ("Content-Range", contentRange));

        await RegistryTestClient.AssertErrorAsync(patch, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-0", await StatusRangeAsync(client, location));
    }

    [Fact]
    public async Task Put_FinalChunkOutOfOrder_Returns416AndKeepsUpload()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes(20);
        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(location, content[..10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        var digest = RegistryTestClient.DigestOf(content);
        using var put = await client.SendAsync(
            HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"), content[10..], ("Content-Range", "12-21"));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, put.StatusCode);
        Assert.Equal("0-9", await StatusRangeAsync(client, location));
    }

    [Fact]
    public async Task Put_WrongDigest_Returns400DigestInvalidAndDiscardsUpload()
    {
        var (client, repository) = Setup();
        var content = Encoding.UTF8.GetBytes("the real content");
        var wrong = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("something else"));
        var location = await client.StartUploadAsync(repository);

        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={wrong}"), content);

        await RegistryTestClient.AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{wrong}"));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{RegistryTestClient.DigestOf(content)}"));
        using var status = await client.Http.GetAsync(location);
        await RegistryTestClient.AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Post_SingleRequestWithWrongDigest_Returns400AndStoresNothing()
    {
        var (client, repository) = Setup();
        var wrong = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes("other"));

        using var response = await client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={wrong}", Encoding.UTF8.GetBytes("body"));

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{wrong}"));
    }

    [Fact]
    public async Task Put_WithoutDigest_Returns400DigestInvalid()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);

        using var put = await client.SendAsync(HttpMethod.Put, location, Encoding.UTF8.GetBytes("data"));

        await RegistryTestClient.AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:ZZZZ")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("nonsense")]
    public async Task Put_MalformedDigest_Returns400DigestInvalid(string digest)
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);

        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={Uri.EscapeDataString(digest)}"), Encoding.UTF8.GetBytes("data"));

        await RegistryTestClient.AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Patch_ContentLengthDisagreesWithContentRange_Returns400SizeInvalidAndAppendsNothing()
    {
        var (client, repository) = Setup();
        var location = await client.StartUploadAsync(repository);
        using (var first = await client.PatchAsync(location, new byte[10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using var patch = await client.SendAsync(HttpMethod.Patch, location, new byte[20], ("Content-Range", "10-14"));

        await RegistryTestClient.AssertErrorAsync(patch, HttpStatusCode.BadRequest, "SIZE_INVALID");
        Assert.Equal("0-9", await StatusRangeAsync(client, location));
    }

    [Fact]
    public async Task Get_UnknownUploadId_Returns404BlobUploadUnknown()
    {
        var (client, repository) = Setup();

        using var response = await client.Http.GetAsync($"/v2/{repository}/blobs/uploads/{Guid.NewGuid():D}");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task AnyMethod_GarbageUploadId_Returns404BlobUploadUnknown(string method)
    {
        var (client, repository) = Setup();
        var digest = RegistryTestClient.DigestOf([1, 2, 3]);

        using var response = await client.SendAsync(new HttpMethod(method), $"/v2/{repository}/blobs/uploads/not-a-guid?digest={digest}", [1, 2, 3]);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task AnyMethod_UploadIdOfAnotherRepository_Returns404AndLeavesUploadAlone()
    {
        var (client, repository) = Setup();
        var other = RegistryTestClient.UniqueRepository();
        var location = await client.StartUploadAsync(repository);
        var foreign = location.Replace(repository, other, StringComparison.Ordinal);
        var content = new byte[] { 1, 2, 3 };

        using (var status = await client.Http.GetAsync(foreign))
        {
            await RegistryTestClient.AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using (var patch = await client.PatchAsync(foreign, content, 0))
        {
            await RegistryTestClient.AssertErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using (var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(foreign, $"digest={RegistryTestClient.DigestOf(content)}"), content))
        {
            await RegistryTestClient.AssertErrorAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using (var delete = await client.SendAsync(HttpMethod.Delete, foreign))
        {
            await RegistryTestClient.AssertErrorAsync(delete, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        Assert.Equal("0-0", await StatusRangeAsync(client, location));
    }

    [Fact]
    public async Task Put_Sha512Digest_Returns201()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes(1234);
        var digest = "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));
        var location = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(location, content, 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        await AssertBlobAsync(client, repository, digest, content);
    }

    [Fact]
    public async Task Put_Sha512WrongDigest_Returns400DigestInvalid()
    {
        var (client, repository) = Setup();
        var digest = "sha512:" + Convert.ToHexStringLower(SHA512.HashData([9]));

        using var response = await client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", [1]);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Post_EmptyBlob_Returns201AndServesZeroBytes()
    {
        var (client, repository) = Setup();
        var digest = RegistryTestClient.DigestOf([]);

        using var post = await client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", []);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);

        await AssertBlobAsync(client, repository, digest, []);
    }

    [Fact]
    public async Task Put_EmptyBlobViaSession_Returns201()
    {
        var (client, repository) = Setup();
        var digest = RegistryTestClient.DigestOf([]);
        var location = await client.StartUploadAsync(repository);

        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await AssertBlobAsync(client, repository, digest, []);
    }

    [Fact]
    public async Task Patch_MultiMebibyteInChunks_VerifiesAndServesContent()
    {
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes((5 * 1024 * 1024) + 123);
        const int chunk = 1024 * 1024;
        var location = await client.StartUploadAsync(repository);
        for (var offset = 0; offset < content.Length; offset += chunk)
        {
            var end = Math.Min(offset + chunk, content.Length);
            using var patch = await client.PatchAsync(location, content[offset..end], offset);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        var digest = RegistryTestClient.DigestOf(content);
        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await AssertBlobAsync(client, repository, digest, content);
    }

    private (RegistryTestClient Client, string Repository) Setup() =>
        (new RegistryTestClient(fixture.Server.CreateClient()), RegistryTestClient.UniqueRepository("uploads"));

    private static async Task<string> StatusRangeAsync(RegistryTestClient client, string location)
    {
        using var status = await client.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        return status.Headers.GetValues("Range").Single();
    }

    private static async Task AssertBlobAsync(RegistryTestClient client, string repository, string digest, byte[] expected)
    {
        using var response = await client.Http.GetAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        var actual = await response.Content.ReadAsByteArrayAsync();
        Assert.True(expected.AsSpan().SequenceEqual(actual), "blob content differs");
    }
}
