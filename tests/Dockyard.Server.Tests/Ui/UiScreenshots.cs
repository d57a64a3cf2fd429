using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Takes the README's screenshots of the main pages (1280x800) from a seeded server. They are written to a temporary
/// directory and checked to be PNGs; set DOCKYARD_SCREENSHOTS_DIR (e.g. to docs/screenshots) to regenerate the
/// committed ones: <c>DOCKYARD_SCREENSHOTS_DIR=$PWD/docs/screenshots dotnet test --filter UiScreenshots</c>.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiScreenshots(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private const string Description = """
        # Payments API

        The service that takes **card payments** and settles them nightly.

        - Build: `make image`
        - Runbook: [docs/runbook](https://example.com/runbook)
        """;

    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Main_pages()
    {
        var directory = UiPageChecks.ScreenshotDirectory();
        await _server.Seed.UserAsync("admin-jo", Password, admin: true);
        string[] repositories = ["acme/payments-api", "acme/web", "acme/worker", "platform/nginx", "platform/postgres", "tools/ci-runner"];
        var registry = await _server.RegistryAsync("admin-jo", Password, repositories);
        foreach (var (repository, i) in repositories.Select((r, i) => (r, i)))
        {
            foreach (var tag in new[] { "1.0.0", "1.1.0", "latest" })
            {
                await UiTestServer.PushImageAsync(registry, repository, tag, Config(i % 2 == 0 ? "amd64" : "arm64"), $"{repository} {tag} " + new string('x', 1000 * (i + 1)));
            }
        }

        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var payments = await db.Repositories.FindAsync("acme/payments-api");
            payments!.Description = Description;
            payments.Visibility = RepositoryVisibility.Public;
            (await db.Repositories.FindAsync("acme/web"))!.Description = "Customer-facing web front end.";
            (await db.Repositories.FindAsync("platform/nginx"))!.Description = "Hardened nginx base image.";
            await db.SaveChangesAsync();
        }

        // Some pulls (manifest GETs through /v2), so the repository list and tags table show counts.
        foreach (var (repository, i) in repositories.Select((r, i) => (r, i)))
        {
            foreach (var tag in new[] { "latest", "1.1.0" }.Take(1 + (i % 2)).SelectMany(t => Enumerable.Repeat(t, 6 - i)))
            {
                using var pull = await registry.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{tag}", null, ("Accept", Hosting.TestManifests.OciManifest));
                pull.EnsureSuccessStatusCode();
            }
        }

        await Task.Delay(300);
        await _server.Get<Dockyard.Server.Ui.Data.PullCounter>().FlushAsync(CancellationToken.None);

        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login");
        await ShotAsync(page, directory, "login");
        await UiTestServer.SignInAsync(page, "admin-jo", Password);
        await ShotAsync(page, directory, "dashboard");
        await page.GotoAsync("/repositories");
        await ShotAsync(page, directory, "repositories");
        await page.GotoAsync("/repositories/acme/payments-api");
        await ShotAsync(page, directory, "repository");
        await page.GotoAsync("/repositories/acme/payments-api/-/manifests/latest");
        await ShotAsync(page, directory, "image");

        foreach (var name in new[] { "login", "dashboard", "repositories", "repository", "image" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, name + ".png"));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
        }
    }

    private static async Task ShotAsync(IPage page, string directory, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = false });

    private static string Config(string architecture) => $$$"""
        {"architecture":"{{{architecture}}}","os":"linux","created":"2026-11-20T10:15:30Z",
         "config":{"User":"app","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/local/bin:/usr/bin:/bin","ASPNETCORE_URLS=http://+:8080"],
                   "Entrypoint":["/app/server"],"Cmd":["--port","8080"],"WorkingDir":"/app",
                   "Labels":{"org.opencontainers.image.source":"https://example.com/acme/payments","org.opencontainers.image.version":"1.1.0"}},
         "history":[{"created":"2026-11-20T10:15:00Z","created_by":"COPY --from=build /out /app # buildkit"},
                    {"created":"2026-11-20T10:15:30Z","created_by":"CMD [\"--port\" \"8080\"]","empty_layer":true}]}
        """;
}
