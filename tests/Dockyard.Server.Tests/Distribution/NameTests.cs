using System.Net;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class NameTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    public static TheoryData<string> InvalidNames => new()
    {
        "names/a..b",
        "names/..%2fescape",
        "names/a%2fb",
        "names/%2e%2e%2fescape",
        "Names/upper",
        "names/UPPER",
        "names//empty",
        "names/trailing-",
        "names/trailing.",
        "names/trailing_",
        "-names/leading",
        "names/a___b",
        "names/a%20b",
        "names/a:b",
        new string('a', 256),
        "names/" + new string('b', 250),
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task PutManifest_InvalidName_Returns400NameInvalid(string name)
    {
        var client = new RegistryTestClient(fixture.Server.CreateClient());

        using var response = await client.PutManifestAsync(name, "latest", "{\"schemaVersion\":2}", TestManifests.OciManifest);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        await AssertNotInCatalogAsync(client, name);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task PostUpload_InvalidName_Returns400NameInvalid(string name)
    {
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var digest = RegistryTestClient.DigestOf([1, 2, 3]);

        using (var start = await client.Http.PostAsync($"/v2/{name}/blobs/uploads/", null))
        {
            await RegistryTestClient.AssertErrorAsync(start, HttpStatusCode.BadRequest, "NAME_INVALID");
        }

        using (var single = await client.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/?digest={digest}", [1, 2, 3]))
        {
            await RegistryTestClient.AssertErrorAsync(single, HttpStatusCode.BadRequest, "NAME_INVALID");
        }

        await AssertNotInCatalogAsync(client, name);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task GetTagsList_InvalidName_Returns400NameInvalid(string name)
    {
        var client = new RegistryTestClient(fixture.Server.CreateClient());

        using var response = await client.Http.GetAsync($"/v2/{name}/tags/list");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    public static TheoryData<string> DotSegments => new() { "..", ".", "%2e%2e", "%2E%2E", "%2e%2E", ".%2e", "%2E.", "%2e", "%2E" };

    [Theory]
    [MemberData(nameof(DotSegments))]
    public async Task GetManifest_DotSegmentOnTheWire_Returns400NameInvalid(string dots)
    {
        // Kestrel removes dot segments (also percent-encoded ones) before routing: "a/../b" would be served as "b".
        // The name the client wrote is not a valid repository name, so it is refused as written.
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var suffix = Guid.NewGuid().ToString("N");
        var target = $"names/b{suffix}";
        await client.PushImageAsync(target, "latest");

        var response = await RawHttp.SendAsync(fixture.Server.BaseAddress, "GET", $"/v2/names/a{suffix}/{dots}/b{suffix}/manifests/latest");
        var head = await RawHttp.SendAsync(fixture.Server.BaseAddress, "HEAD", $"/v2/names/{dots}/b{suffix}/manifests/latest");

        AssertNameInvalid(response);
        Assert.Equal(HttpStatusCode.BadRequest, head.Status);
    }

    [Theory]
    [MemberData(nameof(DotSegments))]
    public async Task PostUpload_DotSegmentOnTheWire_Returns400NameInvalid(string dots)
    {
        var suffix = Guid.NewGuid().ToString("N");

        var response = await RawHttp.SendAsync(fixture.Server.BaseAddress, "POST", $"/v2/names/x{suffix}/{dots}/y{suffix}/blobs/uploads/");

        AssertNameInvalid(response);
        Assert.DoesNotContain(await new RegistryTestClient(fixture.Server.CreateClient()).CatalogAsync(), r => r.Contains(suffix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/v2/./")]
    [InlineData("/v2/%2e%2e/v2/")]
    [InlineData("/v2/names/x/manifests/..")]
    [InlineData("/v2/names/x/manifests/%2E")]
    public async Task AnyRoute_DotSegmentOnTheWire_Returns400NameInvalid(string target)
    {
        AssertNameInvalid(await RawHttp.SendAsync(fixture.Server.BaseAddress, "GET", target));
    }

    [Fact]
    public async Task RawClient_DotsInsideSegmentsOrQuery_AreNotDotSegments()
    {
        // The same raw client on targets with dots that are not whole segments: served normally.
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var suffix = Guid.NewGuid().ToString("N");
        var name = $"names/a.b{suffix}/c";
        await client.PushImageAsync(name, "v1.0");

        var pull = await RawHttp.SendAsync(fixture.Server.BaseAddress, "GET", $"/v2/{name}/manifests/v1.0");
        var upload = await RawHttp.SendAsync(fixture.Server.BaseAddress, "POST", $"/v2/{name}/blobs/uploads/?from=x/../y&mount=sha256:{new string('0', 64)}");
        var dotsAndMore = await RawHttp.SendAsync(fixture.Server.BaseAddress, "GET", $"/v2/{name}/manifests/..v1");

        Assert.Equal(HttpStatusCode.OK, pull.Status);
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        Assert.Equal(HttpStatusCode.NotFound, dotsAndMore.Status);
    }

    [Fact]
    public async Task PutManifest_NameOf255Characters_IsAccepted()
    {
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var name = "names/" + Guid.NewGuid().ToString("N") + "/" + new string('c', 255 - 6 - 32 - 1);
        Assert.Equal(255, name.Length);

        var (_, digest) = await client.PushImageAsync(name, "v1");

        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        Assert.Contains(name, await client.CatalogAsync());
    }

    private static void AssertNameInvalid(RawHttp.Response response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("NAME_INVALID", body.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    private static async Task AssertNotInCatalogAsync(RegistryTestClient client, string name)
    {
        var catalog = await client.CatalogAsync();
        var decoded = Uri.UnescapeDataString(name);
        Assert.DoesNotContain(catalog, r => r == decoded || r == name || r.Contains("..", StringComparison.Ordinal) || r.Any(char.IsUpper));
    }
}
