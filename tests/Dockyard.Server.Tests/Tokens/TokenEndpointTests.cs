using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Dockyard.Server.Access;
using Dockyard.Registry;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Distribution;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Tests.Tokens;

public sealed class TokenEndpointTests : IAsyncLifetime
{
    // Shorter than the 30-day default: the server runs on a fake clock, and advancing it fires every periodic timer
    // once per elapsed period (30 days of them took 11 s of CPU from the tests beside this one).
    private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(2);

    private AuthTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Auth:RefreshTokenLifetime"] = RefreshTokenLifetime.ToString() });
        _http = _server.CreateClient();
        await _server.Seed.UserAsync("alice", "alice-password");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Ping_WithoutToken_ChallengesWithRealmAndServiceOnly()
    {
        using var response = await _http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal($"realm=\"{_server.Server.BaseAddress.ToString().TrimEnd('/')}/auth/token\",service=\"dockyard\"", challenge.Parameter);
        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Ping_WithAnyValidToken_Succeeds()
    {
        var token = await TokenAsync(null, null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Registry_ConfiguredRealm_IsAdvertised()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Auth:Realm"] = "https://registry.example/auth/token", ["Dockyard:Auth:Service"] = "registry.example" });
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/v2/acme/app/tags/list");
        Assert.Equal("realm=\"https://registry.example/auth/token\",service=\"registry.example\",scope=\"repository:acme/app:pull\"", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Theory]
    [InlineData("GET", "/v2/alice/app/manifests/latest", "repository:alice/app:pull")]
    [InlineData("PUT", "/v2/alice/app/manifests/latest", "repository:alice/app:pull,push")]
    [InlineData("POST", "/v2/alice/app/blobs/uploads/", "repository:alice/app:pull,push")]
    [InlineData("DELETE", "/v2/alice/app/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000", "repository:alice/app:delete")]
    [InlineData("GET", "/v2/_catalog", "registry:catalog:*")]
    public async Task Registry_WithoutToken_ChallengesWithScope(string method, string uri, string scope)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), uri));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var parameters = DockerStyleClient.ParseChallenge(response.Headers.WwwAuthenticate.Single().Parameter!);
        Assert.Equal(scope, parameters["scope"]);
        Assert.False(parameters.ContainsKey("error"));
    }

    [Fact]
    public async Task Registry_InvalidToken_ChallengesWithInvalidToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/alice/app/tags/list");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token", DockerStyleClient.ParseChallenge(response.Headers.WwwAuthenticate.Single().Parameter!)["error"]);
    }

    [Fact]
    public async Task Registry_TokenWithoutScope_InsufficientScope()
    {
        var anonymous = await TokenAsync(null, null, "repository:alice/app:pull");
        using var anonymousResponse = await SendWithTokenAsync(HttpMethod.Get, "/v2/alice/app/tags/list", anonymous);
        await RegistryTestClient.AssertErrorAsync(anonymousResponse, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("insufficient_scope", DockerStyleClient.ParseChallenge(anonymousResponse.Headers.WwwAuthenticate.Single().Parameter!)["error"]);

        await _server.Seed.UserAsync("bob", "bob-password");
        var bob = await TokenAsync("bob", "bob-password", "repository:alice/app:pull");
        using var bobResponse = await SendWithTokenAsync(HttpMethod.Get, "/v2/alice/app/tags/list", bob);
        await RegistryTestClient.AssertErrorAsync(bobResponse, HttpStatusCode.Unauthorized, "DENIED");
        Assert.Equal("insufficient_scope", DockerStyleClient.ParseChallenge(bobResponse.Headers.WwwAuthenticate.Single().Parameter!)["error"]);
    }

    [Fact]
    public async Task Registry_AuthenticatedTokenWithoutScope_Answers401WithFullChallenge()
    {
        // As CNCF Distribution and Docker Hub answer: clients fetch a new token only after a 401, never after a 403.
        await _server.Seed.UserAsync("carol", "carol-password");
        var carol = await TokenAsync("carol", "carol-password", "repository:carol/app:pull");
        using var response = await SendWithTokenAsync(HttpMethod.Post, "/v2/carol/app/blobs/uploads/", carol);

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "DENIED");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal(
            $"realm=\"{_server.Server.BaseAddress.ToString().TrimEnd('/')}/auth/token\",service=\"dockyard\",scope=\"repository:carol/app:pull,push\",error=\"insufficient_scope\"",
            challenge.Parameter);
    }

    [Fact]
    public async Task GetToken_Anonymous_GrantsNothingPrivate()
    {
        using var document = await TokenDocumentAsync(null, null, "repository:alice/app:pull,push", "registry:catalog:*");
        Assert.Empty(AccessOf(document));
        Assert.False(document.RootElement.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task GetToken_Basic_GrantsRequestedIntersectAllowed()
    {
        using var document = await TokenDocumentAsync("alice", "alice-password", "repository:alice/app:pull,push,delete", "repository:bob/app:pull,push", "registry:catalog:*", "repository:alice/other:pull");
        Assert.Equal(["repository:alice/app:pull,push,delete", "registry:catalog:*", "repository:alice/other:pull"], AccessOf(document));
        var root = document.RootElement;
        Assert.Equal(root.GetProperty("token").GetString(), root.GetProperty("access_token").GetString());
        Assert.Equal(300, root.GetProperty("expires_in").GetInt64());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("issued_at").GetString(), out _));
    }

    [Fact]
    public async Task GetToken_WildcardAction_GrantsAllWhenAllowed()
    {
        using var document = await TokenDocumentAsync("alice", "alice-password", "repository:alice/app:*");
        Assert.Equal(["repository:alice/app:pull,push,delete,*"], AccessOf(document));
    }

    [Fact]
    public async Task GetToken_BadCredentials_401WithoutHint()
    {
        var wrongPassword = await GetStatusAndBodyAsync("/auth/token?service=dockyard", "alice", "nope");
        var unknownUser = await GetStatusAndBodyAsync("/auth/token?service=dockyard", "nobody", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal(wrongPassword, unknownUser);
    }

    [Fact]
    public async Task GetToken_DeactivatedUser_SameAsWrongPassword()
    {
        var id = await _server.Seed.UserAsync("carol", "carol-password", active: false);
        Assert.True(id > 0);
        var deactivated = await GetStatusAndBodyAsync("/auth/token", "carol", "carol-password");
        Assert.Equal(await GetStatusAndBodyAsync("/auth/token", "carol", "wrong"), deactivated);
        Assert.Equal(HttpStatusCode.Unauthorized, deactivated.Status);
    }

    [Theory]
    [InlineData("scope=repository:alice/app:fly")]
    [InlineData("scope=repository:ALICE:pull")]
    [InlineData("scope=node:x:pull")]
    [InlineData("service=other")]
    public async Task GetToken_BadRequest_400(string query)
    {
        using var response = await _http.GetAsync($"/auth/token?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetToken_AccountMismatch_400()
    {
        var (status, _) = await GetStatusAndBodyAsync("/auth/token?account=bob", "alice", "alice-password");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task GetToken_OfflineToken_ReturnsRefreshTokenUsableWithPost()
    {
        using var document = await TokenDocumentAsync("alice", "alice-password", "offline_token=true&client_id=docker");
        var refresh = document.RootElement.GetProperty("refresh_token").GetString()!;

        using var refreshed = await PostAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["service"] = "dockyard", ["client_id"] = "docker", ["scope"] = "repository:alice/app:pull" });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var body = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        Assert.Equal(["repository:alice/app:pull"], AccessOf(body));
        Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task PostToken_PasswordGrant_WithOfflineAccess_ReturnsRefreshToken()
    {
        using var response = await PostAsync(new() { ["grant_type"] = "password", ["username"] = "alice", ["password"] = "alice-password", ["service"] = "dockyard", ["client_id"] = "docker", ["access_type"] = "offline", ["scope"] = "repository:alice/app:pull,push" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["repository:alice/app:pull,push"], AccessOf(body));
        Assert.StartsWith("dky_", body.RootElement.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostToken_PasswordGrant_WithoutOffline_NoRefreshToken()
    {
        using var response = await PostAsync(new() { ["grant_type"] = "password", ["username"] = "alice", ["password"] = "alice-password", ["client_id"] = "docker" });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
    }

    [Theory]
    [InlineData("grant_type=password&username=alice&password=wrong", "invalid_grant")]
    [InlineData("grant_type=password&username=nobody&password=wrong", "invalid_grant")]
    [InlineData("grant_type=refresh_token&refresh_token=dky_0000000000000000000000000000000000000000000", "invalid_grant")]
    [InlineData("grant_type=refresh_token&refresh_token=garbage", "invalid_grant")]
    [InlineData("grant_type=client_credentials", "unsupported_grant_type")]
    [InlineData("grant_type=password&username=alice&password=alice-password&scope=repository:a:fly", "invalid_scope")]
    [InlineData("grant_type=password&username=alice", "invalid_request")]
    public async Task PostToken_Failures_400WithOAuthError(string form, string error)
    {
        using var content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _http.PostAsync("/auth/token", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostToken_RefreshAfterDeactivation_Fails()
    {
        var id = await _server.Seed.UserAsync("dave", "dave-password");
        using var document = await TokenDocumentAsync("dave", "dave-password", "offline_token=true");
        var refresh = document.RootElement.GetProperty("refresh_token").GetString()!;
        await _server.Seed.SetActiveAsync(id, false);
        using var response = await PostAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostToken_RefreshTokenExpired_Fails()
    {
        using var document = await TokenDocumentAsync("alice", "alice-password", "offline_token=true");
        var refresh = document.RootElement.GetProperty("refresh_token").GetString()!;
        _server.Time.Advance(RefreshTokenLifetime + TimeSpan.FromSeconds(1));
        using var response = await PostAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AccessTokenLogin_GetsNoRefreshToken_AndScopesNarrowGrant()
    {
        var userId = await _server.Seed.UserAsync("erin", "erin-password");
        var (_, secret) = await _server.Seed.Tokens.CreateForUserAsync(userId, "ci", [new TokenScope("erin/app", RepositoryActions.Pull)], null, CancellationToken.None);
        using var document = await TokenDocumentAsync("whatever", secret, "offline_token=true", "repository:erin/app:pull,push", "repository:erin/other:pull");
        Assert.Equal(["repository:erin/app:pull"], AccessOf(document));
        Assert.False(document.RootElement.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task RegistryToken_ExpiresAfterLifetime()
    {
        var token = await TokenAsync("alice", "alice-password", "repository:alice/app:pull");
        using (var fresh = await SendWithTokenAsync(HttpMethod.Get, "/v2/alice/app/tags/list", token))
        {
            Assert.Equal(HttpStatusCode.NotFound, fresh.StatusCode);
        }

        _server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));
        using var expired = await SendWithTokenAsync(HttpMethod.Get, "/v2/alice/app/tags/list", token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("invalid_token", DockerStyleClient.ParseChallenge(expired.Headers.WwwAuthenticate.Single().Parameter!)["error"]);
    }

    [Fact]
    public async Task Catalog_ListsOnlyPullable_WithFullPages()
    {
        var adminId = await _server.Seed.UserAsync("root", "root-password", admin: true);
        Assert.True(adminId > 0);
        var admin = new RegistryTestClient(_http);
        var adminToken = await TokenAsync("root", "root-password", [.. Enumerable.Range(0, 6).Select(i => $"repository:zed/r{i}:pull,push"), "repository:alice/app:pull,push"]);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        for (var i = 0; i < 6; i++)
        {
            await admin.PushImageAsync($"zed/r{i}", "v1");
        }

        await admin.PushImageAsync("alice/app", "v1");
        _http.DefaultRequestHeaders.Authorization = null;
        await _server.Seed.VisibilityAsync("zed/r1", RepositoryVisibility.Public);
        await _server.Seed.VisibilityAsync("zed/r4", RepositoryVisibility.Public);

        var aliceToken = await TokenAsync("alice", "alice-password", "registry:catalog:*");
        var pages = new List<List<string>>();
        string? next = "/v2/_catalog?n=2";
        while (next is not null)
        {
            using var response = await SendWithTokenAsync(HttpMethod.Get, next, aliceToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            pages.Add([.. body.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!)]);
            next = response.Headers.TryGetValues("Link", out var links) ? RegistryTestClient.ParseNextLink(links.Single()) : null;
        }

        Assert.Equal([["alice/app", "zed/r1"], ["zed/r4"]], pages);

        var rootCatalog = await TokenAsync("root", "root-password", "registry:catalog:*");
        using var all = await SendWithTokenAsync(HttpMethod.Get, "/v2/_catalog", rootCatalog);
        using var allBody = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        Assert.Equal(7, allBody.RootElement.GetProperty("repositories").GetArrayLength());
    }

    [Fact]
    public async Task Mount_WithoutPullOnSource_FallsBackToUpload()
    {
        await _server.Seed.UserAsync("frank", "frank-password");
        var aliceToken = await TokenAsync("alice", "alice-password", "repository:alice/src:pull,push");
        var alice = new RegistryTestClient(new HttpClient { BaseAddress = _server.Server.BaseAddress });
        alice.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", aliceToken);
        var digest = await alice.PushBlobAsync("alice/src", Encoding.UTF8.GetBytes("secret layer"));

        var frankToken = await TokenAsync("frank", "frank-password", "repository:frank/dst:pull,push", "repository:alice/src:pull");
        using var mount = await SendWithTokenAsync(HttpMethod.Post, $"/v2/frank/dst/blobs/uploads/?mount={digest}&from=alice/src", frankToken);
        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);

        var aliceBoth = await TokenAsync("alice", "alice-password", "repository:alice/dst:pull,push", "repository:alice/src:pull");
        using var allowed = await SendWithTokenAsync(HttpMethod.Post, $"/v2/alice/dst/blobs/uploads/?mount={digest}&from=alice/src", aliceBoth);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        alice.Http.Dispose();
    }

    [Fact]
    public async Task Guard_MountWithoutPullOnSource_LeavesRequestUntouchedAndRefusesTheMount()
    {
        await _server.Seed.UserAsync("gina", "gina-password");
        var token = await TokenAsync("gina", "gina-password", "repository:gina/dst:pull,push", "repository:alice/src:pull");
        var digest = RegistryTestClient.DigestOf([4, 5, 6]);
        var context = new DefaultHttpContext { RequestServices = _server.Server.Services };
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/v2/gina/dst/blobs/uploads/";
        var query = $"?mount={digest}&from=alice/src";
        context.Request.QueryString = new QueryString(query);
        context.Request.Headers.Authorization = $"Bearer {token}";
        // What the authentication middleware does before the guard runs.
        context.User = (await context.AuthenticateAsync()).Principal!;
        var guard = _server.Server.GetRequiredService<IRegistryAccessGuard>();

        var allowed = await guard.AuthorizeAsync(
            context,
            new RegistryAccessRequest(RepositoryName.Parse("gina/dst"), RepositoryActions.Pull | RepositoryActions.Push, RepositoryName.Parse("alice/src")));

        Assert.True(allowed);
        Assert.Equal(query, context.Request.QueryString.Value);
        Assert.False(CrossRepositoryMount.IsAllowed(context));
    }

    [Fact]
    public async Task RotateKeysApi_AdminOnly()
    {
        await _server.Seed.UserAsync("sysop", "sysop-password", admin: true);
        Assert.Equal(HttpStatusCode.Unauthorized, await RotateStatusAsync(null, null));
        Assert.Equal(HttpStatusCode.Forbidden, await RotateStatusAsync("alice", "alice-password"));
        Assert.Equal(HttpStatusCode.OK, await RotateStatusAsync("sysop", "sysop-password"));
    }

    private async Task<HttpStatusCode> RotateStatusAsync(string? user, string? password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/keys/rotate");
        if (user is not null)
        {
            request.Headers.Authorization = Basic(user, password!);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    internal static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpMethod method, string uri, string token)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        return await _http.PostAsync("/auth/token", content);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetStatusAndBodyAsync(string uri, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = Basic(user, password);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> TokenAsync(string? user, string? password, params string[] scopes)
    {
        using var document = await TokenDocumentAsync(user, password, scopes);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>GET /auth/token; arguments containing '=' are passed as raw query parameters, others as scopes.</summary>
    private async Task<JsonDocument> TokenDocumentAsync(string? user, string? password, params string[] scopesOrParameters)
    {
        var query = string.Join('&', scopesOrParameters.Select(s => s.Contains('=', StringComparison.Ordinal) ? s : "scope=" + Uri.EscapeDataString(s)).Prepend("service=dockyard"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?{query}");
        if (user is not null)
        {
            request.Headers.Authorization = Basic(user, password!);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private static List<string> AccessOf(JsonDocument document)
    {
        var payload = document.RootElement.GetProperty("token").GetString()!.Split('.')[1];
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload));
        return [.. claims.RootElement.GetProperty("access").EnumerateArray()
            .Select(a => new ResourceScope(a.GetProperty("type").GetString()!, a.GetProperty("name").GetString()!, [.. a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()!)]).ToString())];
    }
}
