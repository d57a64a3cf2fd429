using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The grant form of the repository settings page (issue #15, defect 3): a grant to an unknown user or team is refused
/// with its reason next to the form, on the full page (400: a page's own 404 would be sent without a body), with what was typed kept; a team may be named <c>team</c> or
/// <c>org/team</c> (the repository's own organization only); the form suggests the organization's users and teams.
/// </summary>
[Collection(UiCollection.Name)]
public sealed partial class UiGrantFormTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Repository = "acme/payments";
    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var olivia = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        var bob = await _server.Seed.UserAsync("bob", "bob-password-12");
        var acme = await _server.Seed.OrganizationAsync("acme");
        var other = await _server.Seed.OrganizationAsync("other");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
        await _server.Seed.MemberAsync(acme, bob);
        await _server.Seed.TeamAsync(acme, "billing-devs", bob);
        await _server.Seed.TeamAsync(other, "ops");
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        db.Repositories.Add(new RepositoryEntity { Name = Repository, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unknown_user_or_team_is_shown_inline_with_the_form_kept_and_org_slash_team_is_accepted()
    {
        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        await page.GotoAsync($"/repositories/{Repository}/-/settings");

        // A typo in a username: the reason, next to the form, on the whole page; what was typed is still there.
        var response = await GrantAsync(page, "user", "bobb", "write");
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await Assertions.Expect(page.GetByTestId("grant-error")).ToContainTextAsync("User 'bobb' not found");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Permissions" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("User or team")).ToHaveValueAsync("bobb");
        await Assertions.Expect(page.Locator("#grant-role")).ToHaveValueAsync("write");
        await Assertions.Expect(page.GetByLabel("User or team")).ToHaveAttributeAsync("aria-invalid", "true");

        // An unknown team, spelled org/team: the reason names the team and the organization.
        response = await GrantAsync(page, "team", "acme/billing-dev", "read");
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await Assertions.Expect(page.GetByTestId("grant-error")).ToContainTextAsync("Team 'billing-dev' not found in organization 'acme'");
        await Assertions.Expect(page.GetByLabel("Kind")).ToHaveValueAsync("team");
        await Assertions.Expect(page.GetByLabel("User or team")).ToHaveValueAsync("acme/billing-dev");

        // Another organization's team cannot be granted here, and the page says why.
        response = await GrantAsync(page, "team", "other/ops", "read");
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await Assertions.Expect(page.GetByTestId("grant-error")).ToContainTextAsync("only teams of 'acme'");

        // The issue's own example: org/team is the team of the repository's organization.
        await GrantAsync(page, "team", "acme/billing-devs", "write");
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Permission saved.");
        await Assertions.Expect(page.Locator("tr[data-grant=\"team:billing-devs\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("grant-error")).ToHaveCountAsync(0);

        // Suggestions as one types: the organization's members and teams (the latter as org/team).
        var suggestions = await page.Locator("#grant-suggestions option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("bob", suggestions);
        Assert.Contains("olivia", suggestions);
        Assert.Contains("acme/billing-devs", suggestions);
        Assert.DoesNotContain("other/ops", suggestions);
        await Assertions.Expect(page.GetByLabel("User or team")).ToHaveAttributeAsync("list", "grant-suggestions");

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var grants = await db.RepositoryPermissions.AsNoTracking().Where(p => p.Repository == Repository).ToListAsync();
        Assert.Equal(RepositoryRole.Write, Assert.Single(grants).Role);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.permission.grant" && e.Outcome == "failed" && e.Resource == "repositories/acme/payments/permissions/users/bobb"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.permission.grant" && e.Outcome == "success" && e.Resource == "repositories/acme/payments/permissions/teams/billing-devs"));
    }

    [Fact]
    public async Task Error_page_with_the_grant_error_passes_axe_at_desktop_and_phone_width_in_light_and_dark()
    {
        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        foreach (var (width, scheme) in new[] { (1280, ColorScheme.Light), (UiAccessibility.PhoneWidth, ColorScheme.Dark), (UiAccessibility.PhoneWidth, ColorScheme.Light), (1280, ColorScheme.Dark) })
        {
            await page.SetViewportSizeAsync(width, 844);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.GotoAsync($"/repositories/{Repository}/-/settings");
            await GrantAsync(page, "user", "bobb", "read");
            await Assertions.Expect(page.GetByTestId("grant-error")).ToBeVisibleAsync();
            await UiAccessibility.AssertNoViolationsAsync(page);
            await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
        }
    }

    /// <summary>Fills the add-grant form and submits it; returns the response of the post.</summary>
    private static async Task<IResponse> GrantAsync(IPage page, string kind, string subject, string role)
    {
        await page.GetByLabel("Kind").SelectOptionAsync(kind);
        await page.GetByLabel("User or team").FillAsync(subject);
        await page.Locator("#grant-role").SelectOptionAsync(role);
        return await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Grant" }).ClickAsync(),
            r => r.Request.Method == "POST" && SettingsPath().IsMatch(r.Url));
    }

    [GeneratedRegex("/repositories/acme/payments/-/settings")]
    private static partial Regex SettingsPath();
}
