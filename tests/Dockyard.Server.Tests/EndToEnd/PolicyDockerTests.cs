using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// The real docker CLI against a real Dockyard process with policies seeded in its database: an immutable tag
/// overwrite and an over-quota push fail, and docker shows the user the registry's DENIED message.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PolicyDockerTests : IAsyncLifetime
{
    private readonly DockerDaemonFixture _docker;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("policy-e2e");
    private readonly List<string> _images = [];
    private DockyardProcess _server = null!;

    public PolicyDockerTests(DockerDaemonFixture docker, ITestOutputHelper output)
    {
        _docker = docker;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _server = await DockyardProcess.StartAsync();
        var database = Path.Combine(_server.DataDirectory, "dockyard.db");
        var seed = IdentitySeed.ForDatabaseFile(database);
        var immutable = await seed.OrganizationAsync("pol");
        var limited = await seed.OrganizationAsync("small");
        await using var db = new SqliteDockyardDbContext(new DbContextOptionsBuilder<SqliteDockyardDbContext>().UseSqlite($"Data Source={database};Default Timeout=30").Options);
        db.ImmutabilityRules.Add(new ImmutabilityRuleEntity { OrganizationId = immutable, TagPattern = "v*", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        await db.Organizations.Where(o => o.Id == limited).ExecuteUpdateAsync(s => s.SetProperty(o => o.StorageQuotaBytes, 1024L));
    }

    public async Task DisposeAsync()
    {
        foreach (var image in _images)
        {
            await _docker.RunDockerUncheckedAsync("rmi", "-f", image);
        }

        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Docker_push_over_immutable_tag_and_over_quota_shows_the_denied_message()
    {
        var first = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        _images.Add(first);
        await TestImages.BuildBusyboxImageAsync(_docker, first, _work.Path);

        // A second image with other content (another CMD, so another config and manifest digest).
        var second = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        _images.Add(second);
        await _docker.RunDockerAsync("import", "--change", "CMD [\"/bin/busybox\",\"true\"]", Path.Combine(_work.Path, "busybox-rootfs.tar"), second);

        var tag = $"{_server.RegistryHost}/pol/app:v1";
        _images.Add(tag);
        await _docker.RunDockerAsync("tag", first, tag);
        await _docker.RunDockerAsync("push", tag);

        await _docker.RunDockerAsync("tag", second, tag);
        var overwrite = await _docker.RunDockerUncheckedAsync("push", tag);
        _output.WriteLine(overwrite.Describe());
        Assert.NotEqual(0, overwrite.ExitCode);
        Assert.Contains("tag \"v1\" in \"pol/app\" is immutable (rule \"v*\" on organization pol); push a new tag instead", overwrite.StandardError, StringComparison.Ordinal);

        var limited = $"{_server.RegistryHost}/small/app:1";
        _images.Add(limited);
        await _docker.RunDockerAsync("tag", first, limited);
        var overQuota = await _docker.RunDockerUncheckedAsync("push", limited);
        _output.WriteLine(overQuota.Describe());
        Assert.NotEqual(0, overQuota.ExitCode);
        Assert.Matches("organization \"small\" storage quota exceeded: [0-9.]+ [KMG]?i?B used of 1 KiB; this push needs [0-9.]+ [KMG]?i?B more", overQuota.StandardError);
    }
}
