using System.Net;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.EndToEnd;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The web UI against the real binary and images pushed by the real docker client (private dockerd): find the
/// image, read its layers, command and architecture, delete a tag with confirmation; a read-only user sees no delete
/// button and a forged delete is refused.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UiDockerFlowTests : IAsyncLifetime, IClassFixture<UiBrowserFixture>
{
    private readonly DockerDaemonFixture _docker;
    private readonly UiBrowserFixture _browser;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("ui-e2e");
    private readonly List<IBrowserContext> _contexts = [];
    private DockyardProcess _server = null!;
    private IdentitySeed _seed = null!;
    private string _image = null!;

    public UiDockerFlowTests(DockerDaemonFixture docker, UiBrowserFixture browser, ITestOutputHelper output)
    {
        _docker = docker;
        _browser = browser;
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
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        await _docker.RunDockerUncheckedAsync("logout", _server.RegistryHost);
        await _docker.RunDockerUncheckedAsync("rmi", "-f", _image);
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Find_inspect_and_delete_an_image_pushed_by_docker_and_a_reader_cannot_delete()
    {
        await _seed.UserAsync("alice", "alice-secret-1");
        var readerId = await _seed.UserAsync("reader", "reader-secret-1");
        var first = $"{_server.RegistryHost}/alice/busybox:1.0";
        var second = $"{_server.RegistryHost}/alice/busybox:1.1";
        await Docker("login", "-u", "alice", "-p", "alice-secret-1", _server.RegistryHost);
        await Docker("tag", _image, first);
        await Docker("tag", _image, second);
        await Docker("push", first);
        await Docker("push", second);
        await Docker("rmi", first, second);
        var architecture = (await Docker("image", "inspect", "--format", "{{.Architecture}}", _image)).StandardOutput.Trim();
        await _seed.GrantAsync("alice/busybox", PermissionSubject.User, readerId, RepositoryRole.Read);

        // Sign in, find the repository by searching.
        var page = await NewPageAsync();
        await UiTestServer.SignInAsync(page, "alice", "alice-secret-1");
        await page.GetByRole(AriaRole.Link, new() { Name = "Repositories", Exact = true }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("busy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "alice/busybox" }).ClickAsync();

        // The tags table: both tags, pushed by alice, the architecture docker reports.
        var table = page.GetByTestId("tags-table");
        await Assertions.Expect(table.Locator("tr[data-tag='1.0']")).ToContainTextAsync("alice");
        await Assertions.Expect(table.Locator("tr[data-tag='1.0']")).ToContainTextAsync($"linux/{architecture}");
        await Assertions.Expect(table.Locator("tr[data-tag='1.1']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pull-command")).ToContainTextAsync($"docker pull {_server.RegistryHost}/alice/busybox:");

        // The image page: architecture, command, layers.
        await table.Locator("tr[data-tag='1.0']").GetByRole(AriaRole.Link, new() { Name = "1.0", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("platform")).ToHaveTextAsync($"linux/{architecture}");
        await Assertions.Expect(page.GetByTestId("cmd")).ToHaveTextAsync($"[\"/bin/busybox\", \"echo\", \"{TestImages.BusyboxGreeting}\"]");
        await Assertions.Expect(page.GetByTestId("layers").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("layers").Locator("tbody tr").First).ToContainTextAsync("sha256:");

        // Delete 1.1: dismissing the confirmation keeps it, accepting deletes it.
        await page.GoBackAsync();
        var deleteButton = page.GetByRole(AriaRole.Button, new() { Name = "Delete tag 1.1" });
        page.Dialog += DismissOnce;
        await deleteButton.ClickAsync();
        page.Dialog -= DismissOnce;
        await Assertions.Expect(table.Locator("tr[data-tag='1.1']")).ToBeVisibleAsync();

        string? confirmation = null;
        page.Dialog += async (_, dialog) =>
        {
            confirmation = dialog.Message;
            await dialog.AcceptAsync();
        };
        await deleteButton.ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToHaveTextAsync("Tag 1.1 deleted.");
        Assert.Contains("Delete tag 1.1?", confirmation, StringComparison.Ordinal);
        await Assertions.Expect(table.Locator("tr[data-tag='1.1']")).ToHaveCountAsync(0);
        Assert.NotEqual(0, (await _docker.RunDockerUncheckedAsync("pull", second)).ExitCode);
        await Docker("pull", first);

        // A reader sees the repository but no delete button, and a forged delete (valid antiforgery token from the
        // sign-out form, no delete right) is refused by the server.
        var readerPage = await NewPageAsync();
        await UiTestServer.SignInAsync(readerPage, "reader", "reader-secret-1");
        await readerPage.GotoAsync("/repositories/alice/busybox");
        await Assertions.Expect(readerPage.GetByTestId("tags-table").Locator("tr[data-tag='1.0']")).ToBeVisibleAsync();
        await Assertions.Expect(readerPage.GetByRole(AriaRole.Button, new() { Name = "Delete tag 1.0" })).ToHaveCountAsync(0);
        var token = await readerPage.Locator("form[action='/logout'] input[name='__csrf']").GetAttributeAsync("value");
        var forged = await readerPage.Context.APIRequest.PostAsync("/repositories/alice/busybox", new()
        {
            Form = FormOf(readerPage.Context.APIRequest, ("_handler", "delete-tag"), ("__csrf", token!), ("DeleteTag", "1.0")),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, forged.Status);
        var withoutToken = await readerPage.Context.APIRequest.PostAsync("/repositories/alice/busybox", new()
        {
            Form = FormOf(readerPage.Context.APIRequest, ("_handler", "delete-tag"), ("DeleteTag", "1.0")),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.BadRequest, withoutToken.Status);
        await Docker("pull", first);
    }

    private static void DismissOnce(object? sender, IDialog dialog) => _ = dialog.DismissAsync();

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Append(name, value);
        }

        return form;
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(_server.BaseAddress);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task<ProcessResult> Docker(params string[] args)
    {
        var result = await _docker.RunDockerAsync(args);
        _output.WriteLine($"$ docker {string.Join(' ', args)}{Environment.NewLine}{result.StandardOutput}");
        return result;
    }
}
