using System.Security.Cryptography;
using Dockyard.Server.Trust.Keys;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>The organization's Signing keys page: an owner pastes a public key and generates one, then revokes the first with a reason; a member only reads.</summary>
[Collection(UiCollection.Name)]
public sealed class UiTrustKeyTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Owner_adds_generates_and_revokes_a_key_member_only_reads()
    {
        var owner = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        var member = await _server.Seed.UserAsync("max", "max-password-123");
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, owner, owner: true);
        await _server.Seed.MemberAsync(acme, member);
        await _server.Seed.TeamAsync(acme, "release");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // revoking asks for confirmation
        await page.GotoAsync("/orgs/acme");
        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/orgs/acme/keys");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("laptop");
        await page.GetByLabel("Team").SelectOptionAsync("release");
        await page.GetByLabel("Public key (PEM").FillAsync(key.ExportSubjectPublicKeyInfoPem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add key" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();
        var row = page.Locator("tr[data-key=\"laptop\"]");
        await Assertions.Expect(row).ToContainTextAsync("release");
        await Assertions.Expect(row).ToContainTextAsync("ecdsa-p256");
        await Assertions.Expect(row.Locator($"td[title=\"{fingerprint}\"]")).ToHaveTextAsync(fingerprint[..19]);
        await Assertions.Expect(row.GetByTestId("key-status")).ToContainTextAsync("active");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("ci");
        await page.GetByLabel("Instead, generate a key Dockyard holds").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add key" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-key=\"ci\"]")).ToContainTextAsync("held by Dockyard");

        await row.GetByLabel("Reason for revoking laptop").FillAsync("laptop lost");
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToContainTextAsync("Key revoked");
        await Assertions.Expect(page.Locator("tr[data-key=\"laptop\"]").GetByTestId("key-status")).ToContainTextAsync("revoked");
        await Assertions.Expect(page.Locator("tr[data-key=\"laptop\"]")).ToContainTextAsync("laptop lost");
        await Assertions.Expect(page.Locator("tr[data-key=\"laptop\"]").GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToHaveCountAsync(0);

        var snapshot = await _server.Server.GetRequiredService<TrustKeyRing>().GetAsync(CancellationToken.None);
        Assert.NotNull(snapshot.ByFingerprint[fingerprint].RevokedAt);

        var memberPage = await _server.SignInAsync("max", "max-password-123");
        await memberPage.GotoAsync("/orgs/acme/keys");
        await Assertions.Expect(memberPage.Locator("tr[data-key=\"ci\"]")).ToBeVisibleAsync();
        await Assertions.Expect(memberPage.GetByRole(AriaRole.Button, new() { Name = "Add key" })).ToHaveCountAsync(0);
        await Assertions.Expect(memberPage.GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToHaveCountAsync(0);
    }
}
