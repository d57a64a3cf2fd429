using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Policies;

public sealed class RetentionJobTests
{
    [Fact]
    public async Task Job_Enabled_RunsAfterEachInterval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(
            configure: b => b.Services.AddSingleton<TimeProvider>(time),
            settings: new Dictionary<string, string?> { ["Dockyard:Retention:Enabled"] = "true", ["Dockyard:Retention:Interval"] = "06:00:00" });
        var client = new RegistryTestClient(server.CreateClient());
        var (_, org) = await PolicySeed.OrganizationAsync(server, "job");
        var repository = $"{org}/app";
        await client.PushImageAsync(repository, "a");
        time.Advance(TimeSpan.FromMinutes(1));
        await client.PushImageAsync(repository, "b");
        await server.GetRequiredService<RetentionPolicyService>().PutAsync(
            Dockyard.Server.Audit.Caller.System, PolicyTarget.ForRepository(repository), new RetentionSettings(true, 1, null, null, null), CancellationToken.None);

        // Five hours on: no run yet. Six: the job runs, and both tags are older than the recent window by then.
        time.Advance(TimeSpan.FromHours(5));
        await Task.Delay(200);
        Assert.Equal(["a", "b"], await client.TagsAsync(repository));

        time.Advance(TimeSpan.FromHours(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<string>? tags;
        while ((tags = await client.TagsAsync(repository))!.Count != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(["b"], tags);
    }
}
