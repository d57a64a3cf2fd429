using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

[Collection(LdapCollection.Name)]
public sealed class LdapEndpointsTests(SlapdFixture slapd)
{
    private static readonly Uri SettingsUri = new("/api/v1/ldap/settings", UriKind.Relative);
    private static readonly Uri TestUri = new("/api/v1/ldap/test", UriKind.Relative);
    private static readonly Uri SyncUri = new("/api/v1/ldap/sync", UriKind.Relative);

    [Fact]
    public async Task GetSettings_NeverReturnsTheBindPassword()
    {
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using var admin = server.CreateAdminClient();

        using var response = await admin.GetAsync(SettingsUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(SlapdFixture.BindPassword, body, StringComparison.Ordinal);
        Assert.DoesNotContain("bindPassword\"", body, StringComparison.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("bindPasswordSet").GetBoolean());
        Assert.Equal(SlapdFixture.BindDn, json.RootElement.GetProperty("bindDn").GetString());
        Assert.Equal(slapd.Url, json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task PutSettings_WithoutPassword_KeepsTheStoredPassword()
    {
        await using var server = await LdapTestServer.StartAsync(settings: null);
        using var admin = server.CreateAdminClient();
        using (var first = await admin.PutAsJsonAsync(SettingsUri, LdapTestServer.OpenLdapSettings(slapd)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.DoesNotContain(SlapdFixture.BindPassword, await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var second = await admin.PutAsJsonAsync(SettingsUri, LdapTestServer.OpenLdapSettings(slapd) with { BindPassword = null, Timeout = TimeSpan.FromSeconds(7) }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        var stored = await server.Server.GetRequiredService<LdapSettingsStore>().GetAsync(CancellationToken.None);
        Assert.Equal(SlapdFixture.BindPassword, stored.BindPassword);
        Assert.Equal(TimeSpan.FromSeconds(7), stored.Timeout);
        using var test = await admin.PostAsJsonAsync(TestUri, new { });
        Assert.True((await test.Content.ReadFromJsonAsync<LdapConnectionTestResult>())!.Success);
    }

    [Theory]
    [InlineData("http://127.0.0.1:389", "(uid={0})")]
    [InlineData("ldap://127.0.0.1:389", "(uid=alice)")]
    public async Task PutSettings_Invalid_Returns400(string url, string filter)
    {
        await using var server = await LdapTestServer.StartAsync(settings: null);
        using var admin = server.CreateAdminClient();

        using var response = await admin.PutAsJsonAsync(SettingsUri, LdapTestServer.OpenLdapSettings(slapd) with { Url = url, UserFilter = filter });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TestConnection_ValidBindAccountAndUser_Succeeds()
    {
        var uid = LdapTestServer.Unique("probe");
        var dn = await slapd.AddUserAsync(uid, "Pw-probe-1");
        var group = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using var admin = server.CreateAdminClient();

        using var bindOnly = await admin.PostAsJsonAsync(TestUri, new { });
        using var withUser = await admin.PostAsJsonAsync(TestUri, new { username = uid });

        var bind = await bindOnly.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.True(bind!.Success, bind.Message);
        var user = await withUser.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.True(user!.Success, user.Message);
        Assert.Equal(dn, user.UserDn);
        Assert.Equal([group], user.Groups);
    }

    [Fact]
    public async Task TestConnection_WrongBindPassword_FailsWithoutLeakingIt()
    {
        const string wrong = "Wrong-Bind-Secret-99";
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd) with { BindPassword = wrong });
        using var admin = server.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync(TestUri, new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(wrong, body, StringComparison.Ordinal);
        var result = JsonSerializer.Deserialize<LdapConnectionTestResult>(body, JsonSerializerOptions.Web);
        Assert.False(result!.Success);
        Assert.Contains("invalid credentials", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TestConnection_UnreachableServerOrUnknownUser_Fails()
    {
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd) with { Url = "ldap://127.0.0.1:1", Timeout = TimeSpan.FromSeconds(3) });
        using var admin = server.CreateAdminClient();

        using var unreachable = await admin.PostAsJsonAsync(TestUri, new { });
        // Candidate settings in the request are tested without being saved; the stored password fills in.
        using var unknownUser = await admin.PostAsJsonAsync(TestUri, new { username = "nobody-here", settings = LdapTestServer.OpenLdapSettings(slapd) with { BindPassword = null } });

        var down = await unreachable.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.False(down!.Success);
        Assert.Contains("127.0.0.1:1", down.Message, StringComparison.Ordinal);
        var missing = await unknownUser.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.False(missing!.Success);
        Assert.Contains("nobody-here", missing.Message, StringComparison.Ordinal);
        Assert.Equal("ldap://127.0.0.1:1", (await server.Server.GetRequiredService<LdapSettingsStore>().GetAsync(CancellationToken.None)).Url);
    }

    [Fact]
    public async Task Sync_LdapDisabled_Returns409()
    {
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd) with { Enabled = false });
        using var admin = server.CreateAdminClient();

        using var response = await admin.PostAsync(SyncUri, null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/ldap/settings" },
        { "PUT", "/api/v1/ldap/settings" },
        { "POST", "/api/v1/ldap/test" },
        { "POST", "/api/v1/ldap/sync" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_AnonymousOrNonAdmin_IsRefused(string method, string path)
    {
        var uid = LdapTestServer.Unique("plain");
        await slapd.AddUserAsync(uid, "Pw-plain-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using var anonymous = server.CreateClient();
        using var ldapUser = server.CreateClient(uid, "Pw-plain-1");

        using var anonymousResponse = await SendAsync(anonymous, method, path);
        using var userResponse = await SendAsync(ldapUser, method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userResponse.StatusCode);
        Assert.DoesNotContain(SlapdFixture.BindPassword, await userResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await server.Server.GetRequiredService<LdapSettingsStore>().GetAsync(CancellationToken.None);
        Assert.Equal(slapd.Url, stored.Url);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method != "GET")
        {
            request.Content = JsonContent.Create(new LdapSettings { Url = "ldap://127.0.0.1:2" });
        }

        return client.SendAsync(request);
    }
}
