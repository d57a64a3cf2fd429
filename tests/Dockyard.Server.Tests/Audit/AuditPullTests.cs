using System.Net;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Batched pull entries: flushed on graceful shutdown; switched off by Dockyard:Audit:Pulls.</summary>
public sealed class AuditPullTests
{
    [Fact]
    public async Task Pulls_GracefulShutdown_FlushesTheOpenBatch()
    {
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Audit:PullFlushInterval"] = "01:00:00",
        });
        var registry = new RegistryTestClient(server.CreateClient());
        var (_, digest) = await registry.PushImageAsync("acme/app", "v1");
        for (var i = 0; i < 3; i++)
        {
            using var response = await registry.Http.GetAsync("/v2/acme/app/manifests/v1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.DoesNotContain(await AuditTestServer.EntriesAfterAsync(server.Services, 0), e => e.Action == AuditActions.ManifestPull);
        await server.RestartAsync();
        var pulls = (await AuditTestServer.EntriesAfterAsync(server.Services, 0)).Where(e => e.Action == AuditActions.ManifestPull).ToList();
        Assert.Equal(3, pulls.Count);
        Assert.All(pulls, p => Assert.Equal(digest, p.Digest));
        Assert.True((await server.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Pulls_Disabled_NotRecorded()
    {
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Audit:Pulls"] = "false",
            ["Dockyard:Audit:PullFlushInterval"] = "00:00:00.020",
        });
        var registry = new RegistryTestClient(server.CreateClient());
        await registry.PushImageAsync("acme/app", "v1");
        using (var response = await registry.Http.GetAsync("/v2/acme/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Task.Delay(200);
        var entries = await AuditTestServer.EntriesAfterAsync(server.Services, 0);
        Assert.DoesNotContain(entries, e => e.Action == AuditActions.ManifestPull);
        Assert.Contains(entries, e => e.Action == AuditActions.ManifestPush);
    }
}
