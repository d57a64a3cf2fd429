using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The LDAP settings page keeps a typed bind password: "Test connection" binds with it before it is saved, Save stores
/// it (the label and the API say so), and an empty field afterwards keeps the stored one. Against the real slapd.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiLdapSettingsTests(UiBrowserFixture browser, SlapdFixture slapd) : IClassFixture<SlapdFixture>, IAsyncLifetime
{
    private const string AdminPassword = "correct-horse-battery";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", AdminPassword, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Typed_bind_password_is_used_by_test_connection_saved_and_kept()
    {
        var page = await _server.SignInAsync("root", AdminPassword);
        await page.GotoAsync("/settings/ldap");
        await Assertions.Expect(page.GetByText("Bind password (not set)")).ToBeVisibleAsync();
        await page.GetByLabel("Server URL").FillAsync(slapd.Url);
        await page.GetByLabel("Bind DN").FillAsync(SlapdFixture.BindDn);
        await page.Locator("#ldap-bindpw").FillAsync(SlapdFixture.BindPassword);
        await page.GetByLabel("User search base").FillAsync(SlapdFixture.PeopleDn);
        await page.GetByLabel("User filter").FillAsync("(&(objectClass=inetOrgPerson)(uid={0}))");
        await page.GetByLabel("Username attribute").FillAsync("uid");

        // Not saved yet: the connection test binds with the password just typed.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ldap-test-result")).ToContainTextAsync("Connection works.");
        Assert.False(await BindPasswordSetAsync());

        // The password is write-only (never rendered back): type it again and save.
        await page.Locator("#ldap-bindpw").FillAsync(SlapdFixture.BindPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Saved.");
        Assert.DoesNotContain("done=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByText("Bind password (set; leave empty to keep)")).ToBeVisibleAsync();
        Assert.True(await BindPasswordSetAsync());

        // Read once: a reload shows no notice; the empty field keeps the stored password for the next test.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ldap-test-result")).ToContainTextAsync("Connection works.");

        // A wrong typed password is the one tested (and fails), not the stored one.
        await page.Locator("#ldap-bindpw").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ldap-test-result")).ToContainTextAsync("Connection failed.");
        Assert.True(await BindPasswordSetAsync());
    }

    private async Task<bool> BindPasswordSetAsync()
    {
        using var http = _server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{AdminPassword}")));
        var settings = await http.GetFromJsonAsync<JsonElement>("/api/v1/ldap/settings");
        return settings.GetProperty("bindPasswordSet").GetBoolean();
    }
}
