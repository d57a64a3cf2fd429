using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// Issue #14 item 8: webhooks must not reach loopback, link-local, private or metadata destinations (unless an
/// administrator allows the network), and the delivery history must not reveal addresses, ports or socket errors.
/// </summary>
public sealed class WebhookSsrfTests : IAsyncLifetime
{
    private const string OrgHooks = "/api/v1/orgs/prod/webhooks";

    /// <summary>A documentation range (RFC 5737): replaces the loopback entry the test servers allow by default.</summary>
    private static readonly Dictionary<string, string?> NothingLocalAllowed = new() { [WebhookTestNetworks.AllowedNetworksKey] = "192.0.2.0/24" };

    private WebhookTestServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await WebhookTestServer.StartAsync(NothingLocalAllowed);
        _receiver = await WebhookReceiver.StartAsync();
        long ownerId;
        (ownerId, _owner) = await _server.Api.UserAsync("owner");
        await _server.Api.CreateOrganizationAsync("prod", ownerId);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://127.0.0.1:5401/api/v1/users")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[::]/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://198.18.0.1/")]
    [InlineData("http://192.0.0.170/")]
    public async Task Create_LiteralDestinationInDeniedRange_Refused(string url)
    {
        using var response = await _owner.PostAsJsonAsync(OrgHooks, new { url });

        await ProblemAssert.InvalidAsync("url", response);
    }

    [Fact]
    public async Task Update_ToDeniedDestination_Refused()
    {
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, new Uri("https://hooks.example.com/dockyard"));

        using var response = await _owner.PatchAsJsonAsync($"{OrgHooks}/{id}", new { url = "http://0x7f.0.0.1:5401/" });

        await ProblemAssert.InvalidAsync("url", response);
    }

    [Fact]
    public async Task Create_PublicDestination_Accepted()
    {
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, new Uri("https://93.184.215.14/hook"));

        Assert.True(id > 0);
    }

    [Fact]
    public async Task Deliver_NameResolvingToLoopback_NotSentAndRecordedGenerically()
    {
        // A name passes the create-time check; the address it resolves to is checked when delivering.
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, new Uri($"http://localhost:{_receiver.Url.Port}/hook"));

        var delivery = await PingAndWaitForAttemptAsync(id);

        Assert.Equal("destination not allowed", delivery.GetProperty("lastError").GetString());
        Assert.Empty(_receiver.Received);
    }

    private async Task<System.Text.Json.JsonElement> PingAndWaitForAttemptAsync(long id)
    {
        var webhook = $"{OrgHooks}/{id}";
        await ProblemAssert.StatusAsync(HttpStatusCode.Accepted, await _owner.PostAsync($"{webhook}/test", null));
        var deliveries = await WebhookTestServer.WaitForDeliveriesAsync(_owner, webhook, d => d.Length == 1 && d[0].GetProperty("attempts").GetInt32() >= 1);
        return deliveries[0];
    }
}

/// <summary>With loopback allowed (as the test servers do), an unreachable port is reported without address, port or socket error.</summary>
public sealed class WebhookUnreachableDestinationTests : IAsyncLifetime
{
    private const string OrgHooks = "/api/v1/orgs/prod/webhooks";

    private WebhookTestServer _server = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await WebhookTestServer.StartAsync();
        long ownerId;
        (ownerId, _owner) = await _server.Api.UserAsync("owner");
        await _server.Api.CreateOrganizationAsync("prod", ownerId);
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Deliver_ClosedPort_RecordsOnlyAGenericReason()
    {
        var port = ClosedLoopbackPort();
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, new Uri($"http://127.0.0.1:{port}/hook"));
        var webhook = $"{OrgHooks}/{id}";

        await ProblemAssert.StatusAsync(HttpStatusCode.Accepted, await _owner.PostAsync($"{webhook}/test", null));
        var deliveries = await WebhookTestServer.WaitForDeliveriesAsync(_owner, webhook, d => d.Length == 1 && d[0].GetProperty("attempts").GetInt32() >= 1);

        // Everything recorded about the attempts; the payload is what was to be sent (it names the registry's own
        // address, not the destination's).
        var text = string.Join("\n", deliveries[0].EnumerateObject().Where(p => p.Name != "payload").Select(p => p.ToString()));
        Assert.Equal("could not connect", deliveries[0].GetProperty("lastError").GetString());
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", text, StringComparison.OrdinalIgnoreCase);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
