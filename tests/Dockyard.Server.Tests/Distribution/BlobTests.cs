using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class BlobTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("0123456789abcdef");

    [Fact]
    public async Task Head_KnownBlob_Returns200WithLengthAndDigest()
    {
        var (client, repository) = Setup();
        var digest = await client.PushBlobAsync(repository, Content);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_UnknownBlob_Returns404WithoutBody()
    {
        var (client, repository) = Setup();
        await client.PushBlobAsync(repository, Content);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{RegistryTestClient.DigestOf([42])}");
        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_UnknownBlob_Returns404BlobUnknown()
    {
        var (client, repository) = Setup();

        using var response = await client.Http.GetAsync($"/v2/{repository}/blobs/{RegistryTestClient.DigestOf([42])}");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Get_InvalidDigest_Returns400DigestInvalid()
    {
        var (client, repository) = Setup();

        using var response = await client.Http.GetAsync($"/v2/{repository}/blobs/sha256:1234");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Get_FullBlob_Returns200WithContent()
    {
        var (client, repository) = Setup();
        var digest = await client.PushBlobAsync(repository, Content);

        using var response = await client.Http.GetAsync($"/v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=2-5", 2, 5)]
    [InlineData("bytes=10-", 10, 15)]
    [InlineData("bytes=-3", 13, 15)]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=12-100", 12, 15)]
    public async Task Get_Range_Returns206WithContentRangeAndBytes(string range, int first, int last)
    {
        var (client, repository) = Setup();
        var digest = await client.PushBlobAsync(repository, Content);

        using var response = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", null, ("Range", range));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{last}/{Content.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
        Assert.Equal(Content[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_BlobLargerThanOneSendChunk_ReturnsEveryByteWholeAndInRanges()
    {
        // Blob GET reads 256 KiB at a time straight into Kestrel's output buffer: a blob of several chunks and ranges
        // that start and end inside chunks must come back byte for byte.
        var (client, repository) = Setup();
        var content = RandomNumberGenerator.GetBytes((1024 * 1024) + 123);
        var digest = await client.PushBlobAsync(repository, content);

        using (var whole = await client.Http.GetAsync($"/v2/{repository}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
        }

        foreach (var (first, last) in new[] { (262_000, 600_000), (content.Length - 300_000, content.Length - 1), (5, 5) })
        {
            using var part = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", null, ("Range", $"bytes={first}-{last}"));
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes {first}-{last}/{content.Length}", part.Content.Headers.ContentRange!.ToString());
            Assert.Equal(content[first..(last + 1)], await part.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("bytes=16-20")]
    [InlineData("bytes=100-")]
    public async Task Get_RangeBeyondSize_Returns416(string range)
    {
        var (client, repository) = Setup();
        var digest = await client.PushBlobAsync(repository, Content);

        using var response = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", null, ("Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{Content.Length}", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Delete_Blob_Returns202ThenHeadIs404()
    {
        var (client, repository) = Setup();
        var digest = await client.PushBlobAsync(repository, Content);

        using (var delete = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"));
        using var again = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/blobs/{digest}");
        await RegistryTestClient.AssertErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Get_BlobOfAnotherRepository_Returns404()
    {
        var (client, repositoryA) = Setup();
        var repositoryB = RegistryTestClient.UniqueRepository("blobs");
        var digest = await client.PushBlobAsync(repositoryA, Encoding.UTF8.GetBytes($"private {Guid.NewGuid()}"));
        await client.PushBlobAsync(repositoryB, Content);

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repositoryB}/blobs/{digest}"));
        using var get = await client.Http.GetAsync($"/v2/{repositoryB}/blobs/{digest}");
        await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Post_MountFromRepositoryHoldingBlob_Returns201AndBlobIsVisible()
    {
        var (client, repositoryA) = Setup();
        var repositoryB = RegistryTestClient.UniqueRepository("blobs");
        var content = Encoding.UTF8.GetBytes($"shared {Guid.NewGuid()}");
        var digest = await client.PushBlobAsync(repositoryA, content);

        using var mount = await client.Http.PostAsync($"/v2/{repositoryB}/blobs/uploads/?mount={digest}&from={repositoryA}", null);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/{repositoryB}/blobs/{digest}", mount.Headers.Location!.OriginalString);
        Assert.Equal(digest, mount.Headers.GetValues("Docker-Content-Digest").Single());
        using var get = await client.Http.GetAsync($"/v2/{repositoryB}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_MountOfUnknownDigest_Returns202UploadSession()
    {
        var (client, repositoryA) = Setup();
        var repositoryB = RegistryTestClient.UniqueRepository("blobs");
        await client.PushBlobAsync(repositoryA, Content);
        var unknown = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes($"nowhere {Guid.NewGuid()}"));

        using var mount = await client.Http.PostAsync($"/v2/{repositoryB}/blobs/uploads/?mount={unknown}&from={repositoryA}", null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        var location = mount.Headers.Location!.OriginalString;
        Assert.StartsWith($"/v2/{repositoryB}/blobs/uploads/", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOfAsync(HttpMethod.Get, location));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repositoryB}/blobs/{unknown}"));
    }

    [Fact]
    public async Task Post_MountFromRepositoryNotHoldingBlob_Returns202()
    {
        var (client, repositoryA) = Setup();
        var repositoryB = RegistryTestClient.UniqueRepository("blobs");
        var repositoryC = RegistryTestClient.UniqueRepository("blobs");
        var digest = await client.PushBlobAsync(repositoryA, Encoding.UTF8.GetBytes($"only in A {Guid.NewGuid()}"));
        await client.PushBlobAsync(repositoryC, Content);

        using var mount = await client.Http.PostAsync($"/v2/{repositoryB}/blobs/uploads/?mount={digest}&from={repositoryC}", null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.NotNull(mount.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repositoryB}/blobs/{digest}"));
    }

    private (RegistryTestClient Client, string Repository) Setup() =>
        (new RegistryTestClient(fixture.Server.CreateClient()), RegistryTestClient.UniqueRepository("blobs"));
}
