using System.Net;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// Unauthenticated bodies the form reader refuses answer 400 <c>invalid_request</c>, never 500. Sent on a raw socket:
/// HttpClient would not send a truncated or malformed body as written.
/// </summary>
public sealed class TokenEndpointMalformedBodyTests : IAsyncLifetime
{
    private const string Multipart = "multipart/form-data; boundary=XyZ";

    private AuthTestServer _server = null!;

    public async Task InitializeAsync() => _server = await AuthTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("grant_type=password&username=alice&password=%00")]
    [InlineData("grant_type=password&username=%00&password=x")]
    [InlineData("%00=1&grant_type=password&username=alice&password=x")]
    public async Task Post_FormValueWithNul_Answers400InvalidRequest(string body)
    {
        var response = await RawHttp.SendAsync(_server.Server.BaseAddress, "POST", "/auth/token", "application/x-www-form-urlencoded", body);

        Assert.True(response.Status is HttpStatusCode.BadRequest, $"{response.Status}: {response.Body}");
        Assert.Contains("\"error\":\"invalid_", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MultipartCutBeforeItsClosingBoundary_Answers400InvalidRequest()
    {
        const string body = "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\npassword\r\n--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nali";

        var response = await RawHttp.SendAsync(_server.Server.BaseAddress, "POST", "/auth/token", Multipart, body);

        Assert.True(response.Status is HttpStatusCode.BadRequest, $"{response.Status}: {response.Body}");
        Assert.Contains("\"error\":\"invalid_request\"", response.Body, StringComparison.Ordinal);
    }
}
