using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Stacks.Follow;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Redeploy on push without a swarm: real pushes to <c>/v2</c> raise the registry event, the follow worker decides
/// and calls a recording <see cref="IStackRedeployer"/> (the stack service's redeploy is covered by
/// <see cref="StackFollowTests"/> on the real swarm). Also <see cref="StackUpdateChecker"/> against real tags.
/// </summary>
public sealed class StackFollowWorkerTests : IAsyncLifetime
{
    private readonly RecordingRedeployer _redeployer = new();
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ApiTestServer.StartAsync(configure: builder => builder.Services.AddSingleton<IStackRedeployer>(_redeployer));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_push_to_a_followed_tag_redeploys_the_following_services_as_the_user_who_deployed_and_a_re_push_does_nothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = "deployer" + suffix;
        await _server.CreateUserAsync(user);
        var repository = "admin/web" + suffix;
        var registry = await StackTestData.RegistryAsync(_server, repository);
        var address = _server.Server.BaseAddress.Authority;
        var first = await StackTestData.PushAsync(registry, repository, "1");
        var written = $"{address}/{repository}:1";
        await StackTestData.AddStackAsync(_server, "moves" + suffix, user, new Dictionary<string, string> { [written] = $"{written}@{first}" },
            ("web", repository, "1"), ("worker", repository, "1"));

        var second = await StackTestData.PushAsync(registry, repository, "1");

        var (caller, _, request) = await _redeployer.WaitForAsync("moves" + suffix);
        Assert.Equal(PrincipalKind.User, caller.Principal.Kind);
        Assert.Equal(user, caller.Principal.Name);
        Assert.Equal(StackActingUser.FollowMethod, caller.Principal.AuthMethod);
        Assert.Equal(["web", "worker"], request.Services);
        Assert.Equal($"redeploy on push: {repository}:1 → {second}", request.Note);
        Assert.Equal(AuditActions.StackFollowRedeploy, request.AuditAction);

        // A stack whose revision already pins what the tag points at is left alone when the same image is pushed again.
        var other = "admin/other" + suffix;
        var otherRegistry = await StackTestData.RegistryAsync(_server, repository, other);
        await StackTestData.AddStackAsync(_server, "pinned" + suffix, user, new Dictionary<string, string> { [written] = $"{written}@{second}" }, ("web", repository, "1"));
        await StackTestData.AddStackAsync(_server, "later" + suffix, user, new Dictionary<string, string>(), ("app", other, "1"));
        using (var again = await otherRegistry.Http.GetAsync($"/v2/{repository}/manifests/1"))
        {
            var json = await again.Content.ReadAsStringAsync();
            using var put = await otherRegistry.PutManifestAsync(repository, "1", json, again.Content.Headers.ContentType!.MediaType!);
            Assert.Equal(second, put.Headers.GetValues("Docker-Content-Digest").Single());
        }

        await StackTestData.PushAsync(otherRegistry, other, "1");
        await _redeployer.WaitForAsync("later" + suffix);
        Assert.Empty(_redeployer.CallsFor("pinned" + suffix));
        // The recording redeployer writes no new revision, so the first stack still pins the first digest and is redeployed again.
        Assert.Equal(2, _redeployer.CallsFor("moves" + suffix).Count);
    }

    [Fact]
    public async Task A_deployer_who_is_no_longer_active_is_not_acted_for_and_the_refusal_is_audited()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = "gone" + suffix;
        var userId = await _server.CreateUserAsync(user);
        var repository = "admin/gone" + suffix;
        var registry = await StackTestData.RegistryAsync(_server, repository);
        await StackTestData.AddStackAsync(_server, "orphan" + suffix, user, new Dictionary<string, string>(), ("web", repository, "1"));
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }

        await StackTestData.PushAsync(registry, repository, "1");

        var entry = await WaitForAuditAsync(e => e.Action == AuditActions.StackFollowRedeploy && e.Resource == "stacks/orphan" + suffix);
        Assert.Equal(AuditOutcomes.Denied, entry.Outcome);
        Assert.Equal(user, entry.ActorName);
        Assert.Equal(StackActingUser.FollowMethod, entry.AuthMethod);
        Assert.Contains("no longer active", entry.Reason, StringComparison.Ordinal);
        Assert.Empty(_redeployer.CallsFor("orphan" + suffix));
    }

    [Fact]
    public async Task A_redeploy_that_throws_is_logged_and_audited_and_the_worker_goes_on()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = "ops" + suffix;
        await _server.CreateUserAsync(user);
        var (bad, good) = ("admin/bad" + suffix, "admin/good" + suffix);
        var registry = await StackTestData.RegistryAsync(_server, bad, good);
        await StackTestData.AddStackAsync(_server, "bad" + suffix, user, new Dictionary<string, string>(), ("web", bad, "1"));
        await StackTestData.AddStackAsync(_server, "good" + suffix, user, new Dictionary<string, string>(), ("web", good, "1"));
        _redeployer.Failing.Add("bad" + suffix);

        await StackTestData.PushAsync(registry, bad, "1");
        var failed = await WaitForAuditAsync(e => e.Action == AuditActions.StackFollowRedeploy && e.Repository == bad);
        Assert.Equal(AuditOutcomes.Failed, failed.Outcome);
        Assert.Equal(nameof(InvalidOperationException), failed.Reason);

        await StackTestData.PushAsync(registry, good, "1");
        await _redeployer.WaitForAsync("good" + suffix);
    }

    [Fact]
    public async Task Update_available_compares_the_running_digest_with_where_the_tag_points_now()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var repository = "admin/check" + suffix;
        var registry = await StackTestData.RegistryAsync(_server, repository);
        var address = _server.Server.BaseAddress.Authority;
        var old = await StackTestData.PushAsync(registry, repository, "1");
        var current = await StackTestData.PushAsync(registry, repository, "1");
        var written = $"{address}/{repository}:1";
        var checker = _server.Get<StackUpdateChecker>();

        var answers = await checker.CheckAsync(
            [
                new StackImageCheck("behind", $"{written}@{old}", written),
                new StackImageCheck("current", $"{written}@{current}", written),
                new StackImageCheck("label-less", $"{written}@{old}", null),
                new StackImageCheck("elsewhere", $"docker.io/library/busybox:1@{old}", "docker.io/library/busybox:1"),
                new StackImageCheck("by-digest", $"{address}/{repository}@{old}", $"{address}/{repository}@{old}"),
                new StackImageCheck("tag-gone", $"{address}/{repository}:nope@{old}", $"{address}/{repository}:nope"),
                new StackImageCheck("not-pinned", written, written),
            ],
            CancellationToken.None);

        Assert.True(answers["behind"]);
        Assert.False(answers["current"]);
        Assert.True(answers["label-less"]);
        Assert.Null(answers["elsewhere"]);
        Assert.Null(answers["by-digest"]);
        Assert.Null(answers["tag-gone"]);
        Assert.Null(answers["not-pinned"]);
    }

    private async Task<Data.Entities.AuditEntryEntity> WaitForAuditAsync(Func<Data.Entities.AuditEntryEntity, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
            {
                var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("stack.")).ToListAsync();
                if (entries.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the audit entry did not appear within 10 s");
    }
}
