using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The repository page's tag delete tells the registry's real reason: an immutable tag is refused (403) with the
/// rule's message, and only a tag that really is not there is "not found" (404).
/// </summary>
public sealed partial class UiTagDeleteErrorTests
{
    [Fact]
    public async Task DeleteTag_ImmutableTag_ShowsTheRuleWith403_MissingTag_NotFoundWith404()
    {
        await using var server = await ApiTestServer.StartAsync();
        await server.CreateOrganizationAsync("acme", await server.UserIdAsync(AdminBootstrapper.AdminUsername));
        const string Repository = "acme/app";
        using (var http = server.Server.CreateClient())
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer", await RegistryTokenAsync(server, $"repository:{Repository}:pull,push"));
            await new RegistryTestClient(http).PushImageAsync(Repository, "v1");
        }

        await server.Get<ImmutabilityRuleService>().CreateAsync(Caller.System, PolicyTarget.ForRepository(Repository), "v*", null, CancellationToken.None);
        using var ui = await UiHttpSession.SignInAsync(server.Server.BaseAddress, AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);

        using (var refused = await DeleteTagAsync(ui, Repository, "v1"))
        {
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("is immutable (rule", page, StringComparison.Ordinal);
            Assert.DoesNotContain("was not found", page, StringComparison.Ordinal);
        }

        // A 404 set by the page renders no body (the framework's not-found handling), so only the status is checked.
        using (var missing = await DeleteTagAsync(ui, Repository, "v2"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> DeleteTagAsync(HttpClient ui, string repository, string tag)
    {
        var token = CsrfToken().Match(await ui.GetStringAsync($"/repositories/{repository}")).Groups[1].Value;
        return await ui.PostAsync($"/repositories/{repository}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "delete-tag",
            ["__csrf"] = token,
            ["DeleteTag"] = tag,
        }));
    }

    private static async Task<string> RegistryTokenAsync(ApiTestServer server, string scope)
    {
        using var http = server.WithBasic(AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);
        var response = await http.GetFromJsonAsync<JsonElement>($"/auth/token?service=dockyard&scope={Uri.EscapeDataString(scope)}");
        return response.GetProperty("token").GetString()!;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
