using System.Net;
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

    [Fact]
    public async Task PostUpload_LiteralDotDotSegment_IsNormalizedBeforeRouting()
    {
        // Kestrel removes "/../" before the app sees the path, so "a/b/../c" arrives as "a/c": valid, and stored under that name.
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var suffix = Guid.NewGuid().ToString("N");

        using var response = await client.Http.PostAsync($"/v2/names/x{suffix}/../y{suffix}/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith($"/v2/names/y{suffix}/blobs/uploads/", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%2e%2e")]
    [InlineData("%2E%2E")]
    [InlineData(".%2e")]
    public async Task PostUpload_EncodedDotDotSegment_IsNormalizedBeforeRouting(string dots)
    {
        // Kestrel decodes %2e and removes the resulting dot segment too, so no ".." component ever reaches the
        // name check: "names/x/%2e%2e/y" arrives as "names/y". (An encoded slash stays encoded and is refused, above.)
        var client = new RegistryTestClient(fixture.Server.CreateClient());
        var suffix = Guid.NewGuid().ToString("N");

        using var response = await client.Http.PostAsync($"/v2/names/x{suffix}/{dots}/y{suffix}/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith($"/v2/names/y{suffix}/blobs/uploads/", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(await client.CatalogAsync(), r => r.Contains("..", StringComparison.Ordinal));
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

    private static async Task AssertNotInCatalogAsync(RegistryTestClient client, string name)
    {
        var catalog = await client.CatalogAsync();
        var decoded = Uri.UnescapeDataString(name);
        Assert.DoesNotContain(catalog, r => r == decoded || r == name || r.Contains("..", StringComparison.Ordinal) || r.Any(char.IsUpper));
    }
}
