using System.Net;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Policies;

/// <summary>Retention through the real delete path, on a fake clock: dry run, apply, audit, recent-tag protection.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Run_KeepLastOne_DryRunChangesNothing_ApplyDeletesOldAndKeepsRecent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "ret");
        var repository = $"{org}/app";
        var digests = new Dictionary<string, string>();
        foreach (var (tag, advance) in new[] { ("a", 2.0), ("b", 2.0), ("c", 2.0), ("d", 1.0 / 6), ("e", 1.0 / 6) })
        {
            digests[tag] = (await client.PushImageAsync(repository, tag)).Digest;
            time.Advance(TimeSpan.FromHours(advance));
        }

        // Now: d was pushed 20 minutes ago, e 10 minutes ago. The organization's policy keeps one tag.
        await server.GetRequiredService<RetentionPolicyService>().PutAsync(
            Dockyard.Server.Audit.Caller.System, PolicyTarget.ForOrganization(org), new RetentionSettings(true, 1, null, null, null), CancellationToken.None);
        var retention = server.GetRequiredService<RetentionService>();

        var dry = await retention.RunAsync(RetentionService.Scheduled, new RetentionRunRequest(DryRun: true, Repository: repository), null, CancellationToken.None);
        var plan = Assert.Single(dry.Plans);
        Assert.Equal(new[] { digests["a"], digests["b"], digests["c"] }.Order(StringComparer.Ordinal), plan.Deletions.Select(d => d.Digest).Order(StringComparer.Ordinal));
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionDeletionKind.Manifest, d.Kind));
        Assert.Contains(plan.Kept, k => k.Reference == "d" && k.Reason == "pushed within the last 1h");
        Assert.Contains(plan.Kept, k => k.Reference == "e" && k.Reason == "among the 1 most recently pushed tags");
        Assert.Equal(0, dry.Deleted);
        Assert.Equal(["a", "b", "c", "d", "e"], await client.TagsAsync(repository));

        var applied = await retention.RunAsync(RetentionService.Scheduled, new RetentionRunRequest(DryRun: false, Organization: org), null, CancellationToken.None);
        Assert.Equal(3, applied.Deleted);
        Assert.Equal(0, applied.Failed);
        Assert.Equal(["d", "e"], await client.TagsAsync(repository));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{digests["a"]}"));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{digests["d"]}"));

        await using var db = await server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Repository == repository && e.ActorName == "retention" && e.Action != AuditActions.RetentionRun).ToListAsync();
        Assert.Equal(3, entries.Count(e => e.Action == AuditActions.ManifestDelete && e.ActorKind == "system" && e.Outcome == AuditOutcomes.Success));
        Assert.All(entries, e => Assert.Contains("not among the 1 most recently pushed tags", e.Details, StringComparison.Ordinal));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.RetentionRun && e.ActorName == "retention"));
        // One run, one run entry (the deletes have their own): no second entry for the same run.
        Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.RetentionRun && e.Resource == $"orgs/{org}/retention/run").ToListAsync());

        // An hour later d is no longer recent, and a second run removes it.
        time.Advance(TimeSpan.FromHours(1));
        var later = await retention.RunAsync(RetentionService.Scheduled, new RetentionRunRequest(DryRun: false, Repository: repository), null, CancellationToken.None);
        Assert.Equal(1, later.Deleted);
        Assert.Equal(["e"], await client.TagsAsync(repository));
    }

    [Fact]
    public async Task Run_RepositoryPolicy_ReplacesOrganizationPolicy_AndDeletesOldUntagged()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "reu");
        var repository = $"{org}/app";
        var (_, old) = await client.PushImageAsync(repository, "tmp");
        using (var untag = await http.DeleteAsync($"/v2/{repository}/manifests/tmp"))
        {
            Assert.Equal(HttpStatusCode.Accepted, untag.StatusCode);
        }

        await client.PushImageAsync(repository, "keep-me");
        time.Advance(TimeSpan.FromDays(3));
        var policies = server.GetRequiredService<RetentionPolicyService>();
        await policies.PutAsync(Dockyard.Server.Audit.Caller.System, PolicyTarget.ForOrganization(org), new RetentionSettings(true, 0, null, null, true), CancellationToken.None);
        await policies.PutAsync(Dockyard.Server.Audit.Caller.System, PolicyTarget.ForRepository(repository), new RetentionSettings(true, null, null, "2d", null), CancellationToken.None);

        var result = await server.GetRequiredService<RetentionService>().RunAsync(RetentionService.Scheduled, new RetentionRunRequest(DryRun: false, Repository: repository), null, CancellationToken.None);

        var deletion = Assert.Single(Assert.Single(result.Plans).Deletions);
        Assert.Equal(old, deletion.Digest);
        Assert.Equal("untagged and pushed more than 2d ago", deletion.Reason);
        Assert.Equal(["keep-me"], await client.TagsAsync(repository));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{old}"));
    }
}
