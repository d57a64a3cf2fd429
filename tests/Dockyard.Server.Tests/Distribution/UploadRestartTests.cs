using System.Net;
using System.Security.Cryptography;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class UploadRestartTests
{
    [Fact]
    public async Task Upload_AcrossServerRestart_ResumesFromReportedOffset()
    {
        await using var server = await InProcessDockyard.StartAsync();
        var repository = RegistryTestClient.UniqueRepository("restart");
        var content = RandomNumberGenerator.GetBytes(300_000);
        string location;
        using (var http = server.CreateClient())
        {
            var client = new RegistryTestClient(http);
            location = await client.StartUploadAsync(repository);
            using var patch = await client.PatchAsync(location, content[..100_000], 0);
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        await server.RestartAsync();

        using var restarted = server.CreateClient();
        var resumed = new RegistryTestClient(restarted);
        using (var status = await restarted.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-99999", status.Headers.GetValues("Range").Single());
            Assert.Equal(location, status.Headers.Location!.OriginalString);
        }

        using (var patch = await resumed.PatchAsync(location, content[100_000..], 100_000))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            Assert.Equal("0-299999", patch.Headers.GetValues("Range").Single());
        }

        var digest = RegistryTestClient.DigestOf(content);
        using (var put = await resumed.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var get = await restarted.GetAsync($"/v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }
}
