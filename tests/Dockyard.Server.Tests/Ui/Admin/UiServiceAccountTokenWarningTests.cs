using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// Service-account tokens that may push but not pull (issue #15, defect 10): docker and skopeo check with a blob HEAD
/// (a pull), and every upload needs pull and push, so such a token cannot push anything. The API's create-token answer carries a warning
/// saying so, the page warns while the form is filled in and on the token shown, the registry behaves as the warning
/// says, and the page's <c>docker login</c> hint names the account as the docs do (<c>-u org/name</c>).
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiServiceAccountTokenWarningTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var olivia = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
        await _server.Seed.ServiceAccountAsync(acme, "ci");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Push_only_token_is_warned_about_in_the_api_answer_and_cannot_start_a_docker_style_push()
    {
        using var owner = _server.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("olivia:olivia-password-1")));

        using var pushOnly = await owner.PostAsJsonAsync("/api/v1/orgs/acme/service-accounts/ci/tokens", new { name = "push-only", scopes = new[] { new { repository = "acme/**", actions = new[] { "push" } } } });
        Assert.Equal(HttpStatusCode.Created, pushOnly.StatusCode);
        using var created = JsonDocument.Parse(await pushOnly.Content.ReadAsStringAsync());
        var warning = Assert.Single(created.RootElement.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("acme/**", warning, StringComparison.Ordinal);
        Assert.Contains("pull", warning, StringComparison.Ordinal);
        var secret = created.RootElement.GetProperty("secret").GetString()!;

        using var both = await owner.PostAsJsonAsync("/api/v1/orgs/acme/service-accounts/ci/tokens", new { name = "pipeline", scopes = new[] { new { repository = "acme/**", actions = new[] { "pull", "push" } } } });
        Assert.Equal(HttpStatusCode.Created, both.StatusCode);
        using var fine = JsonDocument.Parse(await both.Content.ReadAsStringAsync());
        Assert.Empty(fine.RootElement.GetProperty("warnings").EnumerateArray());

        // What the warning says: the registry token carries push only, so docker's first step (HEAD the blob) is
        // refused, and so is the upload (which needs pull and push, as in CNCF Distribution).
        var registry = await _server.RegistryAsync("acme/ci", secret, "acme/app");
        var layer = Encoding.UTF8.GetBytes("layer of a push-only token");
        using (var head = await registry.SendAsync(HttpMethod.Head, $"/v2/acme/app/blobs/{RegistryTestClient.DigestOf(layer)}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
            Assert.Contains("insufficient_scope", head.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var upload = await registry.Http.PostAsync("/v2/acme/app/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        }

        // With pull too, the same docker-style sequence goes through: HEAD (404, not there yet), upload, manifest.
        var full = await _server.RegistryAsync("acme/ci", fine.RootElement.GetProperty("secret").GetString()!, "acme/app");
        Assert.Equal(HttpStatusCode.NotFound, await full.StatusOfAsync(HttpMethod.Head, $"/v2/acme/app/blobs/{RegistryTestClient.DigestOf(layer)}"));
        await UiTestServer.PushImageAsync(full, "acme/app", "1.0", """{"architecture":"amd64","os":"linux"}""", "layer of a pull+push token");
    }

    [Fact]
    public async Task Token_form_warns_when_push_is_chosen_without_pull_and_the_shown_token_says_so_with_the_documented_login()
    {
        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        await page.GotoAsync("/orgs/acme/service-accounts/ci");
        var warning = page.GetByTestId("push-without-pull");
        await Assertions.Expect(warning).ToBeHiddenAsync();
        await page.GetByLabel("push").CheckAsync();
        await Assertions.Expect(warning).ToBeHiddenAsync();
        await page.GetByLabel("pull").UncheckAsync();
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync("pull");
        foreach (var (width, scheme) in new[] { (1280, ColorScheme.Light), (UiAccessibility.PhoneWidth, ColorScheme.Dark) })
        {
            await page.SetViewportSizeAsync(width, 844);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await UiAccessibility.AssertNoViolationsAsync(page);
            await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
        }

        await page.SetViewportSizeAsync(1280, 800);
        await page.GetByLabel("Token name").FillAsync("push-only");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-secret")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("token-warning")).ToContainTextAsync("acme/**");
        await Assertions.Expect(page.GetByTestId("new-secret")).ToContainTextAsync($"docker login -u acme/ci --password-stdin {_server.BaseAddress.Authority}");
        foreach (var (width, scheme) in new[] { (UiAccessibility.PhoneWidth, ColorScheme.Light), (1280, ColorScheme.Dark) })
        {
            await page.SetViewportSizeAsync(width, 844);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await UiAccessibility.AssertNoViolationsAsync(page);
            await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
        }

        // The hint is what works: docker-style login with -u acme/ci and the shown secret.
        var secret = (await page.GetByTestId("new-secret-value").TextContentAsync())!.Trim();
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard&scope=repository:acme/app:push");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"acme/ci:{secret}")));
        using var login = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
