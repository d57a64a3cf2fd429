using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class ReferrersTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    private const string SignatureType = "application/vnd.example.signature.v1";
    private const string SbomType = "application/vnd.example.sbom.v1";

    [Fact]
    public async Task Get_TwoReferrers_ReturnsIndexListingBoth()
    {
        var (client, repository) = Setup();
        var (subjectJson, subject) = await client.PushImageAsync(repository, "v1");
        var signature = await PushReferrerAsync(client, repository, subject, subjectJson.Length, SignatureType, "signed-by", "alice");
        var sbom = await PushReferrerAsync(client, repository, subject, subjectJson.Length, SbomType, "format", "spdx");

        using var response = await client.Http.GetAsync($"/v2/{repository}/referrers/{subject}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.MediaType);
        Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(TestManifests.OciIndex, root.GetProperty("mediaType").GetString());
        var manifests = root.GetProperty("manifests").EnumerateArray().ToDictionary(m => m.GetProperty("digest").GetString()!);
        Assert.Equal(2, manifests.Count);
        AssertDescriptor(manifests[signature.Digest], signature, SignatureType, "signed-by", "alice");
        AssertDescriptor(manifests[sbom.Digest], sbom, SbomType, "format", "spdx");
    }

    [Fact]
    public async Task Get_ArtifactTypeFilter_ReturnsMatchingOnlyWithFiltersAppliedHeader()
    {
        var (client, repository) = Setup();
        var (subjectJson, subject) = await client.PushImageAsync(repository, "v1");
        await PushReferrerAsync(client, repository, subject, subjectJson.Length, SignatureType, "signed-by", "alice");
        var sbom = await PushReferrerAsync(client, repository, subject, subjectJson.Length, SbomType, "format", "spdx");

        using var response = await client.Http.GetAsync($"/v2/{repository}/referrers/{subject}?artifactType={Uri.EscapeDataString(SbomType)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("artifactType", response.Headers.GetValues("OCI-Filters-Applied").Single());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var only = Assert.Single(document.RootElement.GetProperty("manifests").EnumerateArray());
        AssertDescriptor(only, sbom, SbomType, "format", "spdx");
    }

    [Fact]
    public async Task Get_UnknownSubject_Returns200WithEmptyManifests()
    {
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "v1");
        var unknown = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes($"nothing {Guid.NewGuid()}"));

        using var response = await client.Http.GetAsync($"/v2/{repository}/referrers/{unknown}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciIndex, response.Content.Headers.ContentType!.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("manifests").ValueKind);
        Assert.Empty(document.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Theory]
    [InlineData("sha256:123")]
    [InlineData("latest")]
    public async Task Get_InvalidDigest_Returns400DigestInvalid(string digest)
    {
        var (client, repository) = Setup();
        await client.PushImageAsync(repository, "v1");

        using var response = await client.Http.GetAsync($"/v2/{repository}/referrers/{digest}");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Put_ReferrerBeforeSubject_IsAcceptedAndListed()
    {
        var (client, repository) = Setup();
        var future = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes($"subject pushed later {Guid.NewGuid()}"));

        var referrer = await PushReferrerAsync(client, repository, future, 1234, SignatureType, "signed-by", "bob");

        using var response = await client.Http.GetAsync($"/v2/{repository}/referrers/{future}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var only = Assert.Single(document.RootElement.GetProperty("manifests").EnumerateArray());
        AssertDescriptor(only, referrer, SignatureType, "signed-by", "bob");
    }

    private (RegistryTestClient Client, string Repository) Setup() =>
        (new RegistryTestClient(fixture.Server.CreateClient()), RegistryTestClient.UniqueRepository("referrers"));

    private static async Task<(string Digest, long Size)> PushReferrerAsync(
        RegistryTestClient client, string repository, string subject, long subjectSize, string artifactType, string key, string value)
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var configDigest = await client.PushBlobAsync(repository, config);
        var layer = Encoding.UTF8.GetBytes($"{artifactType} payload {Guid.NewGuid()}");
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var json = TestManifests.Image(
            TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length, subject, subjectSize, artifactType,
            new Dictionary<string, string> { [key] = value });
        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        using var response = await client.PutManifestAsync(repository, digest, json, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject, response.Headers.GetValues("OCI-Subject").Single());
        return (digest, Encoding.UTF8.GetByteCount(json));
    }

    private static void AssertDescriptor(JsonElement descriptor, (string Digest, long Size) expected, string artifactType, string key, string value)
    {
        Assert.Equal(TestManifests.OciManifest, descriptor.GetProperty("mediaType").GetString());
        Assert.Equal(expected.Digest, descriptor.GetProperty("digest").GetString());
        Assert.Equal(expected.Size, descriptor.GetProperty("size").GetInt64());
        Assert.Equal(artifactType, descriptor.GetProperty("artifactType").GetString());
        var annotations = descriptor.GetProperty("annotations");
        Assert.Equal(value, annotations.GetProperty(key).GetString());
        Assert.Single(annotations.EnumerateObject());
    }
}
