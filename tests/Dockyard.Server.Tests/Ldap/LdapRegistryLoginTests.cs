using System.Net;
using System.Net.Http.Headers;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>LDAP users on the registry itself: the docker token flow with directory passwords.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapRegistryLoginTests(SlapdFixture slapd)
{
    [Fact]
    public async Task DockerTokenFlow_LdapPassword_PushesToOwnNamespaceAndOthersCannotPull()
    {
        var owner = LdapTestServer.Unique("regown");
        var other = LdapTestServer.Unique("regother");
        await slapd.AddUserAsync(owner, "Pw-owner-1");
        await slapd.AddUserAsync(other, "Pw-other-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using var http = server.Server.CreateClient();
        var content = "ldap layer"u8.ToArray();
        var digest = RegistryTestClient.DigestOf(content);

        var ownerClient = new DockerStyleClient(http, owner, "Pw-owner-1");
        using (var pushed = await ownerClient.SendAsync(() => Upload($"/v2/{owner}/app/blobs/uploads/?digest={digest}", content)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await ownerClient.StatusAsync(HttpMethod.Head, $"/v2/{owner}/app/blobs/{digest}"));

        var otherClient = new DockerStyleClient(http, other, "Pw-other-1");
        var otherStatus = await otherClient.StatusAsync(HttpMethod.Head, $"/v2/{owner}/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, otherClient.LastTokenStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, otherStatus);

        var wrongPassword = new DockerStyleClient(http, owner, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, await wrongPassword.StatusAsync(HttpMethod.Head, $"/v2/{owner}/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.LastTokenStatus);
    }

    private static HttpRequestMessage Upload(string uri, byte[] content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return request;
    }
}
