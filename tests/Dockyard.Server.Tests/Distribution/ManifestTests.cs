using System.Net;
using System.Text;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>Manifest push, pull and delete; runs on SQLite and PostgreSQL (one server per class).</summary>
public abstract class ManifestTests(TestDatabase database, SharedDockyard shared) : IAsyncLifetime
{
    private InProcessDockyard _server = null!;

    public async Task InitializeAsync() => _server = await shared.GetAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Put_OciManifestByTag_Returns201WithLocationAndDigest()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.False(response.Headers.Contains("OCI-Subject"));
    }

    [Theory]
    [InlineData(TestManifests.OciManifest)]
    [InlineData(TestManifests.DockerManifest)]
    public async Task GetAndHead_ByTagAndDigest_ReturnExactBodyTypeAndDigest(string mediaType)
    {
        var (client, repository) = Setup();
        var (json, digest) = await client.PushImageAsync(repository, "latest", mediaType);

        foreach (var reference in new[] { "latest", digest })
        {
            await AssertManifestAsync(client, repository, reference, json, digest, mediaType);
        }
    }

    [Theory]
    [InlineData(TestManifests.OciIndex, TestManifests.OciManifest)]
    [InlineData(TestManifests.DockerManifestList, TestManifests.DockerManifest)]
    public async Task Put_IndexOfPushedChildren_Returns201AndRoundTrips(string indexType, string childType)
    {
        var (client, repository) = Setup();
        var (amdJson, amd) = await client.PushImageAsync(repository, "amd64", childType);
        var (armJson, arm) = await client.PushImageAsync(repository, "arm64", childType);
        var json = TestManifests.Index(indexType, (amd, amdJson.Length, childType, "amd64"), (arm, armJson.Length, childType, "arm64"));

        using var response = await client.PutManifestAsync(repository, "multi", json, indexType);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
        Assert.Equal(RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json)), digest);
        await AssertManifestAsync(client, repository, "multi", json, digest, indexType);
        await AssertManifestAsync(client, repository, digest, json, digest, indexType);
    }

    [Fact]
    public async Task Put_ByDigestMatchingBody_Returns201()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);
        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));

        using var response = await client.PutManifestAsync(repository, digest, json, TestManifests.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location!.OriginalString);
        await AssertManifestAsync(client, repository, digest, json, digest, TestManifests.OciManifest);
        Assert.Empty((await client.TagsAsync(repository))!);
    }

    [Fact]
    public async Task Put_ByDigestMismatchingBody_Returns400DigestInvalidAndStoresNothing()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);
        var wrong = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json + " "));

        using var response = await client.PutManifestAsync(repository, wrong, json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{wrong}"));
        var actual = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{actual}"));
    }

    [Fact]
    public async Task Put_MissingBlob_Returns400ManifestBlobUnknownAndStoresNothing()
    {
        var (client, repository) = Setup();
        var config = Encoding.UTF8.GetBytes("{}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var missing = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes($"never pushed {Guid.NewGuid()}"));
        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, missing, 12);

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await AssertNothingStoredAsync(client, repository, "v1", json);
    }

    [Fact]
    public async Task Put_BlobsHeldOnlyByAnotherRepository_Returns400ManifestBlobUnknown()
    {
        var (client, repository) = Setup();
        var other = RegistryTestClient.UniqueRepository("manifests");
        var json = await PrepareImageAsync(client, other);
        await client.PushBlobAsync(repository, [7]);

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await AssertNothingStoredAsync(client, repository, "v1", json);
    }

    [Fact]
    public async Task Put_IndexWithMissingChild_Returns400ManifestUnknownAndStoresNothing()
    {
        var (client, repository) = Setup();
        var (childJson, child) = await client.PushImageAsync(repository, "child");
        var missing = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes($"no such manifest {Guid.NewGuid()}"));
        var json = TestManifests.Index(
            TestManifests.OciIndex, (child, childJson.Length, TestManifests.OciManifest, "amd64"), (missing, 100, TestManifests.OciManifest, "arm64"));

        using var response = await client.PutManifestAsync(repository, "multi", json, TestManifests.OciIndex);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_UNKNOWN");
        await AssertNothingStoredAsync(client, repository, "multi", json, expectedTags: ["child"]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    public async Task Put_InvalidDocument_Returns400ManifestInvalidAndStoresNothing(string json)
    {
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "existing");

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await AssertNothingStoredAsync(client, repository, "v1", json, expectedTags: ["existing"]);
    }

    [Fact]
    public async Task Put_UnknownMediaType_Returns400ManifestInvalidAndStoresNothing()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);
        const string unknownType = "application/vnd.example.unknown.v1+json";
        json = json.Replace(TestManifests.OciManifest, unknownType, StringComparison.Ordinal);

        using var response = await client.PutManifestAsync(repository, "v1", json, unknownType);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await AssertNothingStoredAsync(client, repository, "v1", json);
    }

    [Fact]
    public async Task Put_BodyMediaTypeDisagreesWithContentType_Returns400ManifestInvalidAndStoresNothing()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.DockerManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await AssertNothingStoredAsync(client, repository, "v1", json);
    }

    [Fact]
    public async Task Put_ManifestOver4MiB_Returns413AndStoresNothing()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);
        var padding = new string('x', (4 * 1024 * 1024) + 1);
        json = json[..^1] + $",\"annotations\":{{\"pad\":\"{padding}\"}}}}";

        using var response = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingStoredAsync(client, repository, "v1", json);
    }

    [Fact]
    public async Task Put_ManifestWithSubject_Returns201WithOciSubjectHeader()
    {
        var (client, repository) = Setup();
        var (subjectJson, subject) = await client.PushImageAsync(repository, "v1");
        var config = Encoding.UTF8.GetBytes("{}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var layer = Encoding.UTF8.GetBytes("signature");
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var json = TestManifests.Image(
            TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length, subject, subjectJson.Length, "application/vnd.example.sig");

        using var response = await client.PutManifestAsync(repository, RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json)), json, TestManifests.OciManifest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject, response.Headers.GetValues("OCI-Subject").Single());
    }

    [Fact]
    public async Task Delete_ByDigest_Returns202AndRemovesItsTags()
    {
        var (client, repository) = Setup();
        var (json, digest) = await client.PushImageAsync(repository, "v1");
        using (var retag = await client.PutManifestAsync(repository, "v2", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, retag.StatusCode);
        }

        using (var delete = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        foreach (var reference in new[] { digest, "v1", "v2" })
        {
            using var get = await client.Http.GetAsync($"/v2/{repository}/manifests/{reference}");
            await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        Assert.Empty((await client.TagsAsync(repository))!);
    }

    [Fact]
    public async Task Delete_ByTag_Returns202AndKeepsManifest()
    {
        var (client, repository) = Setup();
        var (json, digest) = await client.PushImageAsync(repository, "v1");

        using (var delete = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        using (var get = await client.Http.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        await AssertManifestAsync(client, repository, digest, json, digest, TestManifests.OciManifest);
    }

    // Pulls before each change put the bodies in the manifest body cache (ManifestBodyCache) and exercise the tag
    // lookup; the answers after it must follow the change, not what was pulled before.
    [Fact]
    public async Task Get_TagMovedAfterPulls_ReturnsTheNewManifest()
    {
        var (client, repository) = Setup();
        var (oldJson, oldDigest) = await client.PushImageAsync(repository, "moving");
        await AssertManifestAsync(client, repository, "moving", oldJson, oldDigest, TestManifests.OciManifest);
        var newJson = await PrepareImageAsync(client, repository);
        using (var put = await client.PutManifestAsync(repository, "moving", newJson, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var newDigest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(newJson));
        Assert.NotEqual(oldDigest, newDigest);
        await AssertManifestAsync(client, repository, "moving", newJson, newDigest, TestManifests.OciManifest);
        await AssertManifestAsync(client, repository, oldDigest, oldJson, oldDigest, TestManifests.OciManifest);
    }

    [Fact]
    public async Task Get_ManifestDeletedAfterPulls_Returns404UntilPushedAgain()
    {
        var (client, repository) = Setup();
        var (json, digest) = await client.PushImageAsync(repository, "v1");
        await AssertManifestAsync(client, repository, "v1", json, digest, TestManifests.OciManifest);
        await AssertManifestAsync(client, repository, digest, json, digest, TestManifests.OciManifest);

        using (var delete = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        foreach (var reference in new[] { digest, "v1" })
        {
            using var get = await client.Http.GetAsync($"/v2/{repository}/manifests/{reference}");
            await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        using (var again = await client.PutManifestAsync(repository, "v1", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        await AssertManifestAsync(client, repository, "v1", json, digest, TestManifests.OciManifest);
    }

    [Fact]
    public async Task Get_TagDeletedAfterPulls_Returns404AndKeepsTheManifest()
    {
        var (client, repository) = Setup();
        var (json, digest) = await client.PushImageAsync(repository, "v1");
        await AssertManifestAsync(client, repository, "v1", json, digest, TestManifests.OciManifest);

        using (var delete = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        using (var get = await client.Http.GetAsync($"/v2/{repository}/manifests/v1"))
        {
            await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        await AssertManifestAsync(client, repository, digest, json, digest, TestManifests.OciManifest);
    }

    [Theory]
    [InlineData("nosuchtag")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Delete_Unknown_Returns404ManifestUnknown(string reference)
    {
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "v1");

        using var response = await client.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{reference}");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_UnknownTag_Returns404ManifestUnknown()
    {
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "v1");

        using var response = await client.Http.GetAsync($"/v2/{repository}/manifests/v2");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Head_UnknownManifest_Returns404WithoutBody()
    {
        var (client, repository) = Setup();
        var (_, digest) = await client.PushImageAsync(repository, "v1");
        var unknown = digest[..^4] + (digest.EndsWith("0000", StringComparison.Ordinal) ? "1111" : "0000");

        foreach (var reference in new[] { "v2", unknown })
        {
            using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}");
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData(".INVALID_MANIFEST_NAME")]
    [InlineData("-bad")]
    [InlineData("sha256:abcd")]
    [InlineData("sha256:not-hex")]
    public async Task GetAndHead_ReferenceNeitherTagNorDigest_Returns404ManifestUnknown(string reference)
    {
        // The OCI conformance suite pulls ".INVALID_MANIFEST_NAME" and expects 404: no such manifest can exist.
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "latest");

        using var get = await client.Http.GetAsync($"/v2/{repository}/manifests/{reference}");
        await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");

        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_InvalidDigestReference_Returns400DigestInvalid()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);

        using var response = await client.PutManifestAsync(repository, "sha256:abcd", json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Get_IndexByDigestWithOnlyDockerManifestAccept_Returns200()
    {
        // Accept negotiation applies to tags (which could resolve to several types); a digest names exact bytes.
        var (client, repository) = Setup();
        var digest = await PushIndexAsync(client, repository, "multi");

        using var response = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{digest}", null, ("Accept", TestManifests.DockerManifest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_UnknownRepository_Returns404()
    {
        var (client, repository) = Setup();

        using var response = await client.Http.GetAsync($"/v2/{repository}/manifests/latest");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(await RegistryTestClient.ErrorCodeAsync(response), new[] { "MANIFEST_UNKNOWN", "NAME_UNKNOWN" });
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData(".bad")]
    [InlineData(".INVALID_MANIFEST_NAME")]
    [InlineData("bad%21")]
    public async Task Put_InvalidTag_Returns400TagInvalid(string tag)
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);

        using var response = await client.PutManifestAsync(repository, tag, json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json))}"));
    }

    [Fact]
    public async Task Put_TagOf129Characters_Returns400TagInvalid()
    {
        var (client, repository) = Setup();
        var json = await PrepareImageAsync(client, repository);

        using var response = await client.PutManifestAsync(repository, new string('a', 129), json, TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task Get_IndexByTagWithOnlyDockerManifestAccept_Returns404()
    {
        var (client, repository) = Setup();
        var digest = await PushIndexAsync(client, repository, "multi");

        using var response = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/multi", null, ("Accept", TestManifests.DockerManifest));

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.NotEmpty(digest);
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData(null)]
    [InlineData(TestManifests.OciIndex)]
    [InlineData(TestManifests.DockerManifest + ", " + TestManifests.OciIndex)]
    public async Task Get_IndexByTagWithAcceptingHeader_Returns200(string? accept)
    {
        var (client, repository) = Setup();
        var digest = await PushIndexAsync(client, repository, "multi");
        var headers = accept is null ? [] : new[] { ("Accept", accept) };

        using var response = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/multi", null, headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task Put_FiftyConcurrentManifestsToOneTag_AllSucceedAndEndConsistent()
    {
        var (client, repository) = Setup();
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var layer = Encoding.UTF8.GetBytes("shared layer");
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var documents = Enumerable.Range(0, 50)
            .Select(i => TestManifests.Image(
                TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length,
                annotations: new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToArray();

        var results = await Task.WhenAll(documents.Select(async json =>
        {
            using var response = await client.PutManifestAsync(repository, "race", json, TestManifests.OciManifest);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
            return response.Headers.GetValues("Docker-Content-Digest").Single();
        }));

        Assert.Equal(documents.Select(d => RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(d))), results);
        using var tagged = await client.Http.GetAsync($"/v2/{repository}/manifests/race");
        Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        var taggedBody = await tagged.Content.ReadAsByteArrayAsync();
        var taggedDigest = tagged.Headers.GetValues("Docker-Content-Digest").Single();
        Assert.Contains(taggedDigest, results);
        Assert.Equal(taggedDigest, RegistryTestClient.DigestOf(taggedBody));
        for (var i = 0; i < documents.Length; i++)
        {
            using var byDigest = await client.Http.GetAsync($"/v2/{repository}/manifests/{results[i]}");
            Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
            Assert.Equal(documents[i], await byDigest.Content.ReadAsStringAsync());
        }

        Assert.Equal(["race"], await client.TagsAsync(repository));
    }

    private (RegistryTestClient Client, string Repository) Setup() =>
        (new RegistryTestClient(_server.CreateClient()), RegistryTestClient.UniqueRepository("manifests"));

    /// <summary>Pushes a config and a layer and returns an OCI manifest over them, not pushed.</summary>
    private static async Task<string> PrepareImageAsync(RegistryTestClient client, string repository)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"nonce\":\"{Guid.NewGuid():N}\"}}");
        var layer = Encoding.UTF8.GetBytes($"layer {Guid.NewGuid():N}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var layerDigest = await client.PushBlobAsync(repository, layer);
        return TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length);
    }

    private static async Task<string> PushIndexAsync(RegistryTestClient client, string repository, string tag)
    {
        var (childJson, child) = await client.PushImageAsync(repository, "child");
        var json = TestManifests.Index(TestManifests.OciIndex, (child, childJson.Length, TestManifests.OciManifest, "amd64"));
        using var response = await client.PutManifestAsync(repository, tag, json, TestManifests.OciIndex);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static async Task AssertManifestAsync(RegistryTestClient client, string repository, string reference, string json, string digest, string mediaType)
    {
        using (var get = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}", null, ("Accept", mediaType)))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(mediaType, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(Encoding.UTF8.GetBytes(json), await get.Content.ReadAsByteArrayAsync());
        }

        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}", null, ("Accept", mediaType));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(mediaType, head.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(Encoding.UTF8.GetByteCount(json), head.Content.Headers.ContentLength);
    }

    private static async Task AssertNothingStoredAsync(RegistryTestClient client, string repository, string tag, string json, string[]? expectedTags = null)
    {
        using (var get = await client.Http.GetAsync($"/v2/{repository}/manifests/{tag}"))
        {
            await RegistryTestClient.AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{digest}"));
        var tags = await client.TagsAsync(repository);
        Assert.Equal(expectedTags ?? [], tags ?? []);
    }
}
