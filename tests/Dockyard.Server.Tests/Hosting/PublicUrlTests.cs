using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Webhooks;
using Dockyard.Server.Webhooks;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// Issue #14 item 10: the Host header must not flow into challenges or signed webhook payloads. Requests are written
/// byte for byte over a socket so the Host header on the wire is exactly the one under test.
/// </summary>
public sealed class PublicUrlTests
{
    private const string PublicUrl = "https://registry.example.test:8443";

    [Theory]
    [InlineData("GET", "/v2/")]
    [InlineData("GET", "/auth/token?service=dockyard")]
    [InlineData("GET", "/api/v1/users")]
    [InlineData("GET", "/login")]
    [InlineData("PUT", "/v2/prod/app/manifests/1.0")]
    public async Task Request_ForeignHost_Refused400(string method, string target)
    {
        await using var server = await ApiTestServer.StartAsync();

        var response = await SendAsync(server.Server.BaseAddress, method, target, host: "evil.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.DoesNotContain("evil.example", response.Head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Challenge_LoopbackNameWithOtherPort_RealmIsTheListenUrl()
    {
        await using var server = await ApiTestServer.StartAsync();
        var listen = server.Server.BaseAddress;

        var response = await SendAsync(listen, "GET", "/v2/", host: "localhost:1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains($"realm=\"http://{listen.Authority}/auth/token\"", response.Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_ConfiguredPublicUrl_RealmUsesIt()
    {
        await using var server = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:PublicUrl"] = PublicUrl });

        var response = await SendAsync(server.Server.BaseAddress, "GET", "/v2/", host: server.Server.BaseAddress.Authority);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains($"realm=\"{PublicUrl}/auth/token\"", response.Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_ConfiguredPublicUrlHost_Accepted()
    {
        await using var server = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:PublicUrl"] = PublicUrl });

        var response = await SendAsync(server.Server.BaseAddress, "GET", "/v2/", host: "registry.example.test:8443");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Push_WebhookPayloads_CarryThePublicUrlHostNotTheRequestHost()
    {
        await using var server = await WebhookTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:PublicUrl"] = PublicUrl });
        await using var receiver = await WebhookReceiver.StartAsync();
        var (ownerId, owner) = await server.Api.UserAsync("owner");
        await server.Api.CreateOrganizationAsync("prod", ownerId);
        await server.CreateWebhookAsync(owner, "/api/v1/orgs/prod/webhooks", receiver.Url);
        var registry = new RegistryTestClient(await PushClientAsync(server.Api, host: "localhost:1"));

        await registry.PushImageAsync("prod/app", "1.0");

        var pushed = await receiver.WaitForEventAsync(WebhookEventNames.ManifestPushed);
        Assert.Equal("registry.example.test:8443", pushed.Field("registry"));
    }

    [Fact]
    public async Task Challenge_PublicUrlWithTheSchemesDefaultPort_RealmOmitsThePort()
    {
        await using var server = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:PublicUrl"] = "https://registry.example.test:443/" });

        var response = await SendAsync(server.Server.BaseAddress, "GET", "/v2/", host: "registry.example.test");

        Assert.Contains("realm=\"https://registry.example.test/auth/token\"", response.Head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://registry.example.test")]
    [InlineData("registry.example.test")]
    [InlineData("https://registry.example.test/prefix?q=1")]
    [InlineData("https://user:pw@registry.example.test")]
    public async Task Start_InvalidPublicUrl_Fails(string url)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:PublicUrl"] = url }));

        Assert.Contains("Dockyard:PublicUrl", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NonLoopbackListenWithoutPublicUrl_Fails()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0" }));

        Assert.Contains("Dockyard:PublicUrl", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A /v2 client for the administrator (token fetched from this server directly) that sends <paramref name="host"/> as Host.</summary>
    private static async Task<HttpClient> PushClientAsync(ApiTestServer api, string host)
    {
        using var http = api.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=dockyard&scope={Uri.EscapeDataString("repository:prod/app:pull,push")}");
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminBootstrapper.AdminUsername}:{ApiTestServer.AdminPassword}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient(new HostHeaderHandler(host) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
        {
            BaseAddress = api.Server.BaseAddress,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Head)> SendAsync(Uri server, string method, string target, string host)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var head = text[..Math.Max(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
        return ((HttpStatusCode)int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture), head);
    }

    /// <summary>Sets the Host header of every request (SocketsHttpHandler writes <c>Headers.Host</c> as given).</summary>
    private sealed class HostHeaderHandler(string host) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = host;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
