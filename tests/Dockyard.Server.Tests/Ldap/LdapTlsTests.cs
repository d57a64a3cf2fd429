using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>ldaps:// and StartTLS against slapd's certificate from a throwaway CA; verification stays on.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapTlsTests(SlapdFixture slapd)
{
    private static readonly Uri TestUri = new("/api/v1/ldap/test", UriKind.Relative);

    [Fact]
    public async Task Login_StartTlsWithTrustedCa_Works()
    {
        var uid = LdapTestServer.Unique("tls");
        await slapd.AddUserAsync(uid, "Pw-tls-1");
        var settings = LdapTestServer.OpenLdapSettings(slapd) with { StartTls = true, TrustedCertificatesDirectory = slapd.CaDirectory };
        await using var server = await LdapTestServer.StartAsync(settings);
        var probe = await server.Server.GetRequiredService<LdapSynchronizer>().TestAsync(settings, uid, CancellationToken.None);
        Assert.True(probe.Success, probe.Message);

        using var response = await server.LoginAsync(uid, "Pw-tls-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TestConnection_LdapsWithTrustedCa_Succeeds()
    {
        var settings = LdapTestServer.OpenLdapSettings(slapd) with { Url = slapd.SecureUrl, TrustedCertificatesDirectory = slapd.CaDirectory };
        await using var server = await LdapTestServer.StartAsync(settings);
        using var admin = server.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync(TestUri, new { });

        var result = await response.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.True(result!.Success, result.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TestConnection_UntrustedCertificate_Fails(bool ldaps)
    {
        var settings = LdapTestServer.OpenLdapSettings(slapd) with
        {
            Url = ldaps ? slapd.SecureUrl : slapd.Url,
            StartTls = !ldaps,
            Timeout = TimeSpan.FromSeconds(5),
        };
        await using var server = await LdapTestServer.StartAsync(settings);
        using var admin = server.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync(TestUri, new { });

        var result = await response.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        Assert.False(result!.Success);
        // The reason must name the certificate, not just "server unavailable".
        Assert.Contains("certificate", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not trusted", result.Message, StringComparison.OrdinalIgnoreCase);
    }
}
