using System.Net;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// Real clients against a real Dockyard process with token authentication on: docker login / push / pull as
/// different users, an access token as the docker password, skopeo --creds, and the <c>prod</c> reference flow.
/// Users are written straight into the server's database (the accounts API is built elsewhere).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TokenAuthClientTests : IAsyncLifetime
{
    private readonly DockerDaemonFixture _docker;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("token-e2e");
    private DockyardProcess _server = null!;
    private IdentitySeed _seed = null!;
    private string _image = null!;

    public TokenAuthClientTests(DockerDaemonFixture docker, ITestOutputHelper output)
    {
        _docker = docker;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "true" });
        _seed = IdentitySeed.ForDatabaseFile(Path.Combine(_server.DataDirectory, "dockyard.db"));
        _image = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        await TestImages.BuildBusyboxImageAsync(_docker, _image, _work.Path);
    }

    public async Task DisposeAsync()
    {
        await _docker.RunDockerUncheckedAsync("logout", _server.RegistryHost);
        await _docker.RunDockerUncheckedAsync("rmi", "-f", _image);
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Docker_login_push_pull_as_different_users()
    {
        await _seed.UserAsync("alice", "alice-secret-1");
        await _seed.UserAsync("bob", "bob-secret-1");
        var aliceImage = $"{_server.RegistryHost}/alice/app:1";
        var bobImage = $"{_server.RegistryHost}/bob/app:1";

        // Not logged in: push is refused.
        await Docker("tag", _image, aliceImage);
        var anonymousPush = await _docker.RunDockerUncheckedAsync("push", aliceImage);
        Assert.NotEqual(0, anonymousPush.ExitCode);

        var badLogin = await _docker.RunDockerUncheckedAsync("login", "-u", "alice", "-p", "wrong", _server.RegistryHost);
        Assert.NotEqual(0, badLogin.ExitCode);

        await Docker("login", "-u", "alice", "-p", "alice-secret-1", _server.RegistryHost);
        await Docker("push", aliceImage);
        await Docker("logout", _server.RegistryHost);

        await Docker("login", "-u", "bob", "-p", "bob-secret-1", _server.RegistryHost);
        await Docker("rmi", aliceImage);
        var denied = await _docker.RunDockerUncheckedAsync("pull", aliceImage);
        Assert.NotEqual(0, denied.ExitCode);
        _output.WriteLine(denied.Describe());
        await Docker("tag", _image, bobImage);
        await Docker("push", bobImage);
        var bobPushToAlice = await _docker.RunDockerUncheckedAsync("push", await TagAsync($"{_server.RegistryHost}/alice/app:2"));
        Assert.NotEqual(0, bobPushToAlice.ExitCode);
        await Docker("logout", _server.RegistryHost);

        await Docker("login", "-u", "alice", "-p", "alice-secret-1", _server.RegistryHost);
        await Docker("pull", aliceImage);
        var run = await Docker("run", "--rm", "--network", "none", aliceImage);
        Assert.Equal(TestImages.BusyboxGreeting, run.StandardOutput.Trim());
        await Docker("logout", _server.RegistryHost);
        await _docker.RunDockerUncheckedAsync("rmi", aliceImage, bobImage, $"{_server.RegistryHost}/alice/app:2");
    }

    [Fact]
    public async Task Docker_login_with_access_token_as_password()
    {
        var userId = await _seed.UserAsync("carol", "carol-secret-1");
        var (_, secret) = await _seed.Tokens.CreateForUserAsync(userId, "laptop", [new TokenScope("carol/**", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None);
        var image = await TagAsync($"{_server.RegistryHost}/carol/tools:1");

        await Docker("login", "-u", "carol", "-p", secret, _server.RegistryHost);
        await Docker("push", image);
        await Docker("rmi", image);
        await Docker("pull", image);
        await Docker("logout", _server.RegistryHost);
        await Docker("rmi", image);
    }

    [Fact]
    public async Task Skopeo_copy_with_creds()
    {
        await _seed.UserAsync("dora", "dora-secret-1");
        await _seed.UserAsync("eve", "eve-secret-1");
        var skopeo = ExternalTool.Skopeo();
        var authFile = _work.Combine("auth.json");
        File.WriteAllText(authFile, "{\"auths\":{}}");
        var environment = new Dictionary<string, string?> { ["REGISTRY_AUTH_FILE"] = authFile, ["TMPDIR"] = Directory.CreateDirectory(_work.Combine("tmp")).FullName };
        var source = TestImages.WriteTwoPlatformOciLayout(Directory.CreateDirectory(_work.Combine("layout")).FullName, "v1");
        var remote = $"docker://{_server.RegistryHost}/dora/multi:v1";

        await ProcessRunner.RunAsync(skopeo, ["--insecure-policy", "copy", "--all", "--dest-tls-verify=false", "--dest-creds", "dora:dora-secret-1", $"oci:{source.LayoutPath}:v1", remote], environment, TimeSpan.FromMinutes(3));
        var inspect = await ProcessRunner.RunAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", "--creds", "dora:dora-secret-1", remote], environment, TimeSpan.FromMinutes(1));
        Assert.Equal(source.IndexDigest, TestImages.Sha256Digest(System.Text.Encoding.UTF8.GetBytes(inspect.StandardOutput.TrimEnd('\n'))));

        var eve = await ProcessRunner.RunUncheckedAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", "--creds", "eve:eve-secret-1", remote], environment, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, eve.ExitCode);
        var anonymous = await ProcessRunner.RunUncheckedAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", "--no-creds", remote], environment, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, anonymous.ExitCode);
    }

    [Fact]
    public async Task Prod_reference_flow_only_ci_pushes_developers_pull_others_see_nothing()
    {
        var prod = await _seed.OrganizationAsync("prod");
        var dave = await _seed.UserAsync("dave", "dave-secret-1");
        await _seed.UserAsync("mallory", "mallory-secret-1");
        await _seed.MemberAsync(prod, dave);
        var developers = await _seed.TeamAsync(prod, "developers", dave);
        await _seed.GrantAsync("prod/api", PermissionSubject.Team, developers, RepositoryRole.Read);
        var ci = await _seed.ServiceAccountAsync(prod, "ci");
        var (_, ciToken) = await _seed.Tokens.CreateForServiceAccountAsync(ci, "pipeline", [new TokenScope("prod/**", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None);
        var image = await TagAsync($"{_server.RegistryHost}/prod/api:1.0");

        // A developer cannot push.
        await Docker("login", "-u", "dave", "-p", "dave-secret-1", _server.RegistryHost);
        Assert.NotEqual(0, (await _docker.RunDockerUncheckedAsync("push", image)).ExitCode);
        await Docker("logout", _server.RegistryHost);

        // CI's service account pushes.
        await Docker("login", "-u", "ci", "-p", ciToken, _server.RegistryHost);
        await Docker("push", image);
        await Docker("logout", _server.RegistryHost);
        await Docker("rmi", image);

        // Everyone else: pull denied, and the catalog does not show the repository.
        await Docker("login", "-u", "mallory", "-p", "mallory-secret-1", _server.RegistryHost);
        Assert.NotEqual(0, (await _docker.RunDockerUncheckedAsync("pull", image)).ExitCode);
        await Docker("logout", _server.RegistryHost);
        Assert.DoesNotContain("prod/api", await CatalogAsync("mallory", "mallory-secret-1"));

        // The developers team pulls and sees it.
        await Docker("login", "-u", "dave", "-p", "dave-secret-1", _server.RegistryHost);
        await Docker("pull", image);
        await Docker("logout", _server.RegistryHost);
        Assert.Contains("prod/api", await CatalogAsync("dave", "dave-secret-1"));
        await Docker("rmi", image);
    }

    private async Task<List<string>> CatalogAsync(string user, string password)
    {
        using var http = _server.CreateClient();
        var client = new DockerStyleClient(http, user, password);
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v2/_catalog"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!)];
    }

    private async Task<string> TagAsync(string reference)
    {
        await Docker("tag", _image, reference);
        return reference;
    }

    private async Task<ProcessResult> Docker(params string[] args)
    {
        var result = await _server.WithOutputOnFailureAsync(_docker.RunDockerAsync(args));
        _output.WriteLine($"$ docker {string.Join(' ', args.Select(a => a.StartsWith("dky_", StringComparison.Ordinal) ? "***" : a))}{Environment.NewLine}{result.StandardOutput.TrimEnd()}");
        return result;
    }
}
