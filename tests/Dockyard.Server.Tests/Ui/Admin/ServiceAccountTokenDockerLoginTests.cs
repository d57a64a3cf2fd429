using Dockyard.Server.Tests.EndToEnd;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The whole service-account story through the real UI of a real Dockyard process: an organization owner creates a
/// service account and a push token in the browser, reads the token off the page (shown once), and the docker CLI
/// logs in with it and pushes and pulls inside the token's scope, and is refused outside it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServiceAccountTokenDockerLoginTests : IAsyncLifetime
{
    private readonly DockerDaemonFixture _docker;
    private readonly ITestOutputHelper _output;
    private readonly UiBrowserFixture _browser = new();
    private readonly TempDirectory _work = new("ui-sa-e2e");
    private DockyardProcess _server = null!;
    private string _image = null!;

    public ServiceAccountTokenDockerLoginTests(DockerDaemonFixture docker, ITestOutputHelper output)
    {
        _docker = docker;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        await _browser.InitializeAsync();
        _server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "true" });
        _image = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        await TestImages.BuildBusyboxImageAsync(_docker, _image, _work.Path);
    }

    public async Task DisposeAsync()
    {
        await _docker.RunDockerUncheckedAsync("logout", _server.RegistryHost);
        await _docker.RunDockerUncheckedAsync("rmi", "-f", _image);
        await _server.DisposeAsync();
        await _browser.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Owner_creates_a_service_account_token_in_the_ui_and_docker_logs_in_with_it()
    {
        var seed = IdentitySeed.ForDatabaseFile(Path.Combine(_server.DataDirectory, "dockyard.db"));
        var owner = await seed.UserAsync("olivia", "olivia-password-1");
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, owner, owner: true);
        await seed.OrganizationAsync("other");

        await using var context = await _browser.NewContextAsync(_server.BaseAddress);
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // destructive forms ask for confirmation
        await UiTestServer.SignInAsync(page, "olivia", "olivia-password-1");

        await page.GotoAsync("/orgs/acme");
        await page.GetByRole(AriaRole.Link, new() { Name = "Service accounts" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("ci");
        await page.GetByLabel("Description").FillAsync("CI pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create service account" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/orgs/acme/service-accounts/ci");

        await page.GetByLabel("Token name").FillAsync("pipeline");
        await page.GetByLabel("push").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = (await page.GetByTestId("new-secret-value").TextContentAsync())!.Trim();
        Assert.StartsWith("dky_", secret, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("tr[data-token=\"pipeline\"]")).ToContainTextAsync("acme/**: pull, push");

        // Shown once: a fresh GET of the page lists the token, never its secret.
        var html = await (await page.GotoAsync("/orgs/acme/service-accounts/ci"))!.TextAsync();
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.Contains("pipeline", html, StringComparison.Ordinal);

        var image = $"{_server.RegistryHost}/acme/app:1";
        await Docker("tag", _image, image);
        await Docker("login", "-u", "ci", "-p", secret, _server.RegistryHost);
        await Docker("push", image);
        await Docker("rmi", image);
        await Docker("pull", image);

        var outside = $"{_server.RegistryHost}/other/app:1";
        await Docker("tag", _image, outside);
        Assert.NotEqual(0, (await _docker.RunDockerUncheckedAsync("push", outside)).ExitCode);
        await Docker("logout", _server.RegistryHost);
        await _docker.RunDockerUncheckedAsync("rmi", image, outside);

        // Revoking it in the UI ends docker logins with it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Token revoked.");
        Assert.NotEqual(0, (await _docker.RunDockerUncheckedAsync("login", "-u", "ci", "-p", secret, _server.RegistryHost)).ExitCode);
    }

    private async Task<ProcessResult> Docker(params string[] args)
    {
        var result = await _server.WithOutputOnFailureAsync(_docker.RunDockerAsync(args));
        _output.WriteLine($"$ docker {string.Join(' ', args.Select(a => a.StartsWith("dky_", StringComparison.Ordinal) ? "***" : a))}");
        return result;
    }
}
