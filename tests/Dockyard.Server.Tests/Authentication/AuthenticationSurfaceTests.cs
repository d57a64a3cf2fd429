using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Ui;

namespace Dockyard.Server.Tests.Authentication;

/// <summary>
/// One authentication handler decides who calls, per surface: each credential kind authenticates only where it
/// belongs. A UI session cookie never authenticates <c>/api/v1</c> or <c>/v2</c> (so neither has a CSRF surface); a
/// registry token never authenticates <c>/api/v1</c>; refused credentials are never treated as anonymous.
/// </summary>
public sealed class AuthenticationSurfaceTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ui_session_cookie_authenticates_pages_but_not_the_api_or_the_registry()
    {
        using var ui = await UiHttpSession.SignInAsync(_server.Server.BaseAddress, AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);

        // The page knows the user (the top bar names them)...
        var page = await ui.GetStringAsync("/");
        Assert.Contains(AdminBootstrapper.AdminUsername, page, StringComparison.Ordinal);

        // ...the API and the registry do not: the cookie is not a credential there.
        using var me = await ui.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using var registry = await ui.GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, registry.StatusCode);
        Assert.StartsWith("Bearer ", registry.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_token_is_not_an_api_credential_and_an_access_token_is()
    {
        var admin = _server.WithBasic(AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);
        using var tokenResponse = await admin.GetAsync("/auth/token?service=dockyard&scope=registry:catalog:*");
        tokenResponse.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        var registryToken = json.RootElement.GetProperty("token").GetString()!;

        var withRegistryToken = _server.WithBearer(registryToken);
        using var refused = await withRegistryToken.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var catalog = await withRegistryToken.GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);

        using var created = await admin.PostAsync("/api/v1/me/tokens", new StringContent("{\"name\":\"t\"}", Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        using var tokenJson = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var accessToken = tokenJson.RootElement.GetProperty("secret").GetString()!;
        using var me = await _server.WithBearer(accessToken).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        // An access token is not a registry token: /v2 wants the JWT from /auth/token.
        using var v2 = await _server.WithBearer(accessToken).GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, v2.StatusCode);
        Assert.Contains("error=\"invalid_token\"", v2.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic", "bm90LWJhc2U2NA!!")]
    [InlineData("Basic", "YWRtaW46d3Jvbmc=")]
    [InlineData("Bearer", "dkyd_not_a_real_token")]
    [InlineData("Digest", "whatever")]
    public async Task Refused_api_credentials_answer_401_even_where_anonymous_is_allowed(string scheme, string parameter)
    {
        var client = _server.Anonymous();
        // The repository list answers anonymous callers (public repositories)...
        using var anonymous = await client.GetAsync("/api/v1/repositories");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);

        // ...but bad credentials are never downgraded to anonymous.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/repositories");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Basic ", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
