using System.Net;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class PingTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public async Task Get_ApiVersionCheck_Returns200WithApiVersionHeader(string path)
    {
        using var http = fixture.Server.CreateClient();
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task Head_ApiVersionCheck_Returns200()
    {
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, "/v2/");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Theory]
    [InlineData("/v2/nothing-here")]
    [InlineData("/v2/library/alpine/unknown/thing")]
    [InlineData("/v2/library/alpine/manifests/")]
    [InlineData("/v3/")]
    public async Task Get_UnknownRoute_Returns404(string path)
    {
        using var http = fixture.Server.CreateClient();
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v2/")]
    [InlineData("POST", "/v2/ping/repo/manifests/latest")]
    [InlineData("PATCH", "/v2/ping/repo/manifests/latest")]
    [InlineData("PUT", "/v2/ping/repo/blobs/sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("DELETE", "/v2/ping/repo/tags/list")]
    [InlineData("POST", "/v2/_catalog")]
    [InlineData("GET", "/v2/ping/repo/blobs/uploads/")]
    public async Task AnyRoute_UnsupportedMethod_Returns405Unsupported(string method, string path)
    {
        var client = new RegistryTestClient(fixture.Server.CreateClient());

        using var response = await client.SendAsync(new HttpMethod(method), path, []);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }
}
