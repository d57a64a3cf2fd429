using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Tokens;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// An authenticated Dockyard with fast webhook retries (base 200 ms) plus shortcuts: registry clients holding a
/// token for given repositories, webhook creation and delivery history through the API.
/// </summary>
internal sealed class WebhookTestServer : IAsyncDisposable
{
    private WebhookTestServer(ApiTestServer api) => Api = api;

    public ApiTestServer Api { get; }

    public static async Task<WebhookTestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dockyard:Webhooks:RetryBaseDelay"] = "00:00:00.2",
            ["Dockyard:Webhooks:PollInterval"] = "00:00:00.5",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new WebhookTestServer(await ApiTestServer.StartAsync(all));
    }

    public Task<HttpClient> AdminAsync() => Api.AdminAsync();

    /// <summary>A /v2 client for the administrator with a token covering pull, push and delete on <paramref name="repositories"/>.</summary>
    public async Task<RegistryTestClient> RegistryAsync(params string[] repositories)
    {
        var http = Api.Anonymous();
        using var challenge = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var parameters = DockerStyleClient.ParseChallenge(challenge.Headers.WwwAuthenticate.Single().Parameter!);
        var url = $"{parameters["realm"]}?service={Uri.EscapeDataString(parameters["service"])}"
            + string.Concat(repositories.Select(r => $"&scope={Uri.EscapeDataString($"repository:{r}:pull,push,delete")}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminBootstrapper.AdminUsername}:{ApiTestServer.AdminPassword}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = Api.WithBearer(document.RootElement.GetProperty("token").GetString()!);
        return new RegistryTestClient(client);
    }

    /// <summary>Creates a webhook at <paramref name="collection"/> (e.g. <c>/api/v1/orgs/prod/webhooks</c>); returns id and secret.</summary>
    public async Task<(long Id, string Secret)> CreateWebhookAsync(HttpClient client, string collection, Uri url, string[]? events = null, string? secret = null)
    {
        using var response = await client.PostAsJsonAsync(collection, new { url = url.ToString(), events, secret });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, response);
        return (body.GetProperty("id").GetInt64(), body.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement[]> DeliveriesAsync(HttpClient client, string webhook)
    {
        using var response = await client.GetAsync($"{webhook}/deliveries");
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, response);
        return [.. body.EnumerateArray()];
    }

    /// <summary>Polls the delivery history until <paramref name="done"/> holds.</summary>
    public static async Task<JsonElement[]> WaitForDeliveriesAsync(HttpClient client, string webhook, Func<JsonElement[], bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var deliveries = await DeliveriesAsync(client, webhook);
            if (done(deliveries))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"deliveries of {webhook} never reached the expected state: {string.Join("\n", deliveries.Select(d => d.ToString()))}");
            }

            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
