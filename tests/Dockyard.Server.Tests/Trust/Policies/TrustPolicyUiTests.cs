using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Ui;
using Dockyard.Server.Trust.Policies;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>
/// The organization page's "Signature policies" section without a browser: an owner adds a "teams" policy with the
/// form (team from the multi-select plus one typed as org/team) and deletes it; a member sees the list but no form,
/// and a forged add post is refused (400: the page renders no such form for them) and changes nothing.
/// </summary>
public sealed partial class TrustPolicyUiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        var owner = await _server.CreateUserAsync("owner");
        await _server.CreateUserAsync("member");
        var prod = await _server.CreateOrganizationAsync("prod", owner);
        await _server.AddMemberAsync(prod, "member");
        await _server.CreateOrganizationAsync("qa", owner);
        await _server.Get<TeamService>().CreateAsync(Caller.System, "prod", "security", null, CancellationToken.None);
        await _server.Get<TeamService>().CreateAsync(Caller.System, "qa", "testers", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OrganizationPage_OwnerAddsAndDeletesAPolicy_MemberSeesNoFormAndCannotForgeOne()
    {
        using var owner = await UiHttpSession.SignInAsync(_server.Server.BaseAddress, "owner", "owner-password!");
        var page = await owner.GetStringAsync("/orgs/prod");
        Assert.Contains("Signature policies", page, StringComparison.Ordinal);
        Assert.Contains("No signature policies", page, StringComparison.Ordinal);
        using (var added = await PostAsync(owner, page, "add-trust-policy", ("PolicyForm.Mode", "teams"), ("PolicyForm.Teams", "security"),
                   ("PolicyForm.OtherTeams", "qa/testers"), ("PolicyForm.EnforceDeploy", "true"), ("PolicyForm.EnforcePull", "true"), ("PolicyForm.ServiceAccountsOnly", "true")))
        {
            Assert.Equal(HttpStatusCode.Found, added.StatusCode);
        }

        var policy = Assert.Single(await PoliciesAsync());
        Assert.Equal(["prod/security", "qa/testers"], policy.Teams);
        Assert.True(policy.EnforceDeploy && policy.EnforcePull);
        Assert.Equal(["ServiceAccount"], policy.PullPrincipalKinds!);
        page = await owner.GetStringAsync("/orgs/prod");
        Assert.Contains("signatures of prod/security, qa/testers", page, StringComparison.Ordinal);
        Assert.Contains("deploy, pull (ServiceAccount)", page, StringComparison.Ordinal);

        using var member = await UiHttpSession.SignInAsync(_server.Server.BaseAddress, "member", "member-password!");
        var memberPage = await member.GetStringAsync("/orgs/prod");
        Assert.Contains("signatures of prod/security, qa/testers", memberPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Add signature policy", memberPage, StringComparison.Ordinal);
        using (var forged = await PostAsync(member, memberPage, "add-trust-policy", ("PolicyForm.Mode", "any"), ("PolicyForm.EnforceDeploy", "true")))
        {
            // The page renders no add form for a member, so Blazor refuses the post before any handler runs.
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        Assert.Single(await PoliciesAsync());
        using (var deleted = await PostAsync(owner, page, $"delete-trust-policy-{policy.Id}"))
        {
            Assert.Equal(HttpStatusCode.Found, deleted.StatusCode);
        }

        Assert.Empty(await PoliciesAsync());
    }

    private async Task<IReadOnlyList<TrustPolicyView>> PoliciesAsync()
    {
        var organization = await _server.Get<OrganizationService>().FindAsync("prod", CancellationToken.None);
        return await _server.Get<TrustPolicyService>().ListAsync(organization!.Id, CancellationToken.None);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string form, params (string Name, string Value)[] fields)
    {
        var values = new List<KeyValuePair<string, string>> { new("_handler", form), new("__csrf", CsrfToken().Match(page).Groups[1].Value) };
        values.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return client.PostAsync("/orgs/prod", new FormUrlEncodedContent(values));
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
