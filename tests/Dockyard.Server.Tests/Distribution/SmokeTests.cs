using System.Net;
using System.Text;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class SmokeTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    [Fact]
    public async Task PushAndPull_ImageByTag_RoundTrips()
    {
        using var http = fixture.Server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository();
        var (json, digest) = await client.PushImageAsync(repository, "v1");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v1");
        request.Headers.Accept.ParseAdd(TestManifests.OciManifest);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestManifests.OciManifest, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(json, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}
