using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// Real skopeo pushes (several blobs and manifests at once, as CI does) into a server with authentication on:
/// the first push into a new repository is recorded as one <c>repository.create</c> (#15 defect 6), and the first
/// push into a repository created in advance through the API keeps its settings and grants and creates nothing.
/// </summary>
public sealed class SkopeoFirstPushTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _work = new("skopeo-first-push");
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(AuditTestServer.FastPulls());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task FirstPush_NewRepository_RecordsOneRepositoryCreate()
    {
        await _server.CreateOrganizationAsync("ci", await _server.UserIdAsync(AdminBootstrapper.AdminUsername));

        await PushAsync("ci/app", $"{AdminBootstrapper.AdminUsername}:{ApiTestServer.AdminPassword}");

        var creates = (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0)).Where(e => e.Action == "repository.create").ToList();
        var described = string.Join("; ", creates.Select(e => $"{e.Id} {e.Repository} {e.ActorName} {e.RequestId}"));
        Assert.True(creates.Count == 1, $"expected one repository.create, got {creates.Count}: {described}");
        Assert.Equal(("ci/app", AdminBootstrapper.AdminUsername), (creates[0].Repository, creates[0].ActorName));
    }

    [Fact]
    public async Task FirstPush_IntoPreCreatedRepository_KeepsVisibilityDescriptionAndGrants()
    {
        var ownerId = await _server.UserIdAsync(AdminBootstrapper.AdminUsername);
        var organization = await _server.CreateOrganizationAsync("ci", ownerId);
        await _server.CreateUserAsync("builder");
        await _server.AddMemberAsync(organization, "builder");
        var admin = await _server.AdminAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/repositories", new { name = "ci/prepared", visibility = "public", description = "Built by CI" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var granted = await admin.PutAsJsonAsync("/api/v1/repositories/ci/prepared/permissions/users/builder", new { role = "write" }))
        {
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        // The grantee (a plain member without a default role) pushes first: only the prepared grant lets it.
        await PushAsync("ci/prepared", "builder:builder-password!");

        using var repository = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/repositories/ci/prepared"));
        Assert.Equal("public", repository.RootElement.GetProperty("visibility").GetString());
        Assert.Equal("Built by CI", repository.RootElement.GetProperty("description").GetString());
        using var grants = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/repositories/ci/prepared/permissions"));
        var grant = Assert.Single(grants.RootElement.EnumerateArray());
        Assert.Equal(("builder", "write"), (grant.GetProperty("subject").GetString(), grant.GetProperty("role").GetString()));
        var entries = await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0);
        var create = Assert.Single(entries, e => e.Action == "repository.create");
        Assert.Equal(AdminBootstrapper.AdminUsername, create.ActorName);
        Assert.Contains(entries, e => e is { Action: "registry.manifest.push", ActorName: "builder", Repository: "ci/prepared" });
    }

    private async Task PushAsync(string repository, string credentials)
    {
        var layout = TestImages.WriteTwoPlatformOciLayout(Directory.CreateDirectory(_work.Combine(repository.Replace('/', '-'))).FullName, "v1");
        var authFile = _work.Combine("auth.json");
        await File.WriteAllTextAsync(authFile, "{\"auths\":{}}");
        var environment = new Dictionary<string, string?>
        {
            ["REGISTRY_AUTH_FILE"] = authFile,
            ["TMPDIR"] = Directory.CreateDirectory(_work.Combine("tmp")).FullName,
            ["HOME"] = Directory.CreateDirectory(_work.Combine("home")).FullName, // no blob-info cache from the machine
        };
        string[] arguments =
        [
            "--insecure-policy", "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", credentials,
            $"oci:{layout.LayoutPath}:v1", $"docker://{_server.Server.BaseAddress.Authority}/{repository}:v1",
        ];
        var result = await ProcessRunner.RunAsync(ExternalTool.Skopeo(), arguments, environment, TimeSpan.FromMinutes(3));
        output.WriteLine(result.StandardOutput);
    }
}
