using System.Net;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Deleting a tag on the repository page is audited like the <c>/v2</c> delete; its success notice is a flash the
/// server set (shown once, never from the URL); the audit page names a push by digest <c>repo@sha256:…</c>; unknown
/// URLs show the styled not-found page, which passes the accessibility checks.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiTagDeleteAuditTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "root-password-12";
    private const string Repository = "acme/app";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", Password, admin: true);
        await _server.Seed.OrganizationAsync("acme");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Deleting_a_tag_is_audited_and_its_notice_is_a_one_time_server_flash()
    {
        var registry = await _server.RegistryAsync("root", Password, Repository);
        await registry.PushImageAsync(Repository, "latest");
        await registry.PushImageAsync(Repository, "v2");
        var page = await _server.SignInAsync("root", Password);

        // Forged notices: the URL cannot put words on the page.
        await page.GotoAsync($"/repositories/{Repository}?deleted=latest");
        await Assertions.Expect(page.GetByTestId("tags-table").Locator("tr[data-tag='latest']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToHaveCountAsync(0);
        await page.GotoAsync("/settings/ldap?done=saved");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "LDAP / Active Directory" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveCountAsync(0);

        // A real delete: the notice once, from the server, with a clean URL.
        await page.GotoAsync($"/repositories/{Repository}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete tag latest" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToHaveTextAsync("Tag latest deleted.");
        Assert.Equal($"/repositories/{Repository}", new Uri(page.Url).PathAndQuery);
        await Assertions.Expect(page.GetByTestId("tags-table").Locator("tr[data-tag='latest']")).ToHaveCountAsync(0);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dockyard_flash"); // read once, then cleared
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("tags-table").Locator("tr[data-tag='v2']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToHaveCountAsync(0);

        // On the record with actor, repository and tag, like a /v2 DELETE.
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "registry.tag.delete");
            Assert.Equal(("root", Repository, "latest", "success", "acme"), (entry.ActorName, entry.Repository, entry.Reference, entry.Outcome, entry.Organization));
        }

        await page.GotoAsync("/audit?action=registry.tag.delete");
        var row = page.GetByTestId("audit-table").Locator("tbody tr[data-action='registry.tag.delete'][data-actor='root']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync($"{Repository}:latest");
    }

    [Fact]
    public async Task A_push_by_digest_is_labelled_repo_at_digest_in_the_audit_log()
    {
        var registry = await _server.RegistryAsync("root", Password, Repository);
        var (json, digest) = await registry.PushImageAsync(Repository, "v1");
        using (var byDigest = await registry.PutManifestAsync(Repository, digest, json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, byDigest.StatusCode);
        }

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync("/audit?action=registry.manifest.push");
        var rows = page.GetByTestId("audit-table").Locator("tbody tr[data-action='registry.manifest.push']");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync($"{Repository}@{digest}"); // newest first
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync($"{Repository}:v1");
        await Assertions.Expect(page.GetByTestId("audit-table")).Not.ToContainTextAsync($"{Repository}:sha256:");

        // The README: its "#" is not a second <h1>; an image Dockyard serves is shown, one from elsewhere is not.
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var repository = await db.Repositories.SingleAsync(r => r.Name == Repository);
            repository.Description = "# Readme title\n\n![ours](/favicon.ico) ![theirs](https://evil.example/track.png)";
            await db.SaveChangesAsync();
        }

        await page.GotoAsync($"/repositories/{Repository}");
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        var readme = page.GetByTestId("description");
        await Assertions.Expect(readme.Locator("h2")).ToHaveTextAsync("Readme title");
        await Assertions.Expect(readme.Locator("img")).ToHaveCountAsync(1);
        await Assertions.Expect(readme.Locator("img")).ToHaveAttributeAsync("src", "/favicon.ico");
        await Assertions.Expect(readme).ToContainTextAsync("theirs");

        // The README limit is Docker Hub's, in the form as in the API.
        await page.GotoAsync($"/repositories/{Repository}/-/settings");
        await Assertions.Expect(page.Locator("#repository-description")).ToHaveAttributeAsync("maxlength", "25000");
    }

    [Fact]
    public async Task Unknown_url_shows_the_styled_not_found_page_that_passes_the_accessibility_checks()
    {
        var page = await _server.SignInAsync("root", Password);
        foreach (var (width, height, scheme) in new[] { (1280, 800, ColorScheme.Light), (UiAccessibility.PhoneWidth, 844, ColorScheme.Dark) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var response = await page.GotoAsync("/this/does/not/exist");
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main#main")).ToBeVisibleAsync();
            await UiAccessibility.AssertNoViolationsAsync(page);
            await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
        }
    }
}
