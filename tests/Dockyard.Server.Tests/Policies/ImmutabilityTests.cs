using System.Net;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Policies;

/// <summary>Tag immutability on the /v2 write path: overwrite and delete are DENIED with a message naming the rule.</summary>
public sealed class ImmutabilityTests
{
    [Fact]
    public async Task ManifestPut_MovingImmutableTag_IsDeniedAndSameDigestIsAccepted()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "imm");
        var repository = $"{org}/app";
        var (json, digest) = await client.PushImageAsync(repository, "v1.0");

        // The write path has already cached (no) rules: creating one must take effect at once.
        await server.GetRequiredService<ImmutabilityRuleService>().CreateAsync(Dockyard.Server.Audit.Caller.System, PolicyTarget.ForOrganization(org), "v*", null, CancellationToken.None);

        var (other, _) = await client.PushImageAsync(repository, "latest");
        using (var overwrite = await client.PutManifestAsync(repository, "v1.0", other, TestManifests.OciManifest))
        {
            await AssertDeniedAsync(overwrite, $"tag \"v1.0\" in \"{repository}\" is immutable (rule \"v*\" on organization {org}); push a new tag instead");
        }

        using (var again = await client.PutManifestAsync(repository, "v1.0", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        using (var unguarded = await client.PutManifestAsync(repository, "latest", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, unguarded.StatusCode);
        }

        using var resolved = await http.GetAsync($"/v2/{repository}/manifests/v1.0");
        Assert.Equal(digest, resolved.Headers.GetValues("Docker-Content-Digest").Single());

        await using var db = await server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var refused = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Repository == repository && e.Outcome == AuditOutcomes.Denied);
        Assert.Equal(AuditActions.ManifestPush, refused.Action);
        Assert.Contains("is immutable (rule \"v*\"", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ImmutableTagByTagOrByDigest_IsDeniedAndTagSurvives()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "imd");
        var repository = $"{org}/app";
        var (_, digest) = await client.PushImageAsync(repository, "release-1");
        await server.GetRequiredService<ImmutabilityRuleService>().CreateAsync(Dockyard.Server.Audit.Caller.System, PolicyTarget.ForRepository(repository), "release-*", null, CancellationToken.None);

        var expected = $"tag \"release-1\" in \"{repository}\" is immutable (rule \"release-*\" on repository {repository}); it cannot be deleted while the rule exists";
        using (var byTag = await http.DeleteAsync($"/v2/{repository}/manifests/release-1"))
        {
            await AssertDeniedAsync(byTag, expected);
        }

        using (var byDigest = await http.DeleteAsync($"/v2/{repository}/manifests/{digest}"))
        {
            await AssertDeniedAsync(byDigest, expected);
        }

        Assert.Equal(["release-1"], await client.TagsAsync(repository));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{digest}"));

        // Deleting a tag the rule does not cover still works.
        await client.PushImageAsync(repository, "scratch");
        using var free = await http.DeleteAsync($"/v2/{repository}/manifests/scratch");
        Assert.Equal(HttpStatusCode.Accepted, free.StatusCode);
    }

    [Fact]
    public async Task OrganizationRule_WithRepositoryPattern_CoversOnlyMatchingRepositories()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "imp");
        await server.GetRequiredService<ImmutabilityRuleService>().CreateAsync(Dockyard.Server.Audit.Caller.System, PolicyTarget.ForOrganization(org), "*", $"{org}/prod-*", CancellationToken.None);
        await client.PushImageAsync($"{org}/prod-api", "v1");
        await client.PushImageAsync($"{org}/dev-api", "v1");

        var (other, _) = await client.PushImageAsync($"{org}/prod-api", "other");
        using (var denied = await client.PutManifestAsync($"{org}/prod-api", "v1", other, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        var (devOther, _) = await client.PushImageAsync($"{org}/dev-api", "other");
        using var allowed = await client.PutManifestAsync($"{org}/dev-api", "v1", devOther, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    internal static async Task AssertDeniedAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("DENIED", error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }
}
