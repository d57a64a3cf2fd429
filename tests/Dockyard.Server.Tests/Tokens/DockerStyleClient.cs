using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// Talks to /v2 the way docker does: send without a token, read the Bearer challenge, fetch a token from the
/// realm for the challenged scope (Basic credentials or anonymous), retry with it.
/// </summary>
internal sealed partial class DockerStyleClient(HttpClient http, string? username = null, string? password = null)
{
    public HttpClient Http { get; } = http;

    /// <summary>Status of the last token request, null when none was needed.</summary>
    public HttpStatusCode? LastTokenStatus { get; private set; }

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create)
    {
        var first = await Http.SendAsync(create());
        if (first.StatusCode != HttpStatusCode.Unauthorized)
        {
            return first;
        }

        var challenge = first.Headers.WwwAuthenticate.SingleOrDefault(h => h.Scheme == "Bearer")
            ?? throw new InvalidOperationException("401 without a Bearer challenge");
        var parameters = ParseChallenge(challenge.Parameter!);
        var url = $"{parameters["realm"]}?service={Uri.EscapeDataString(parameters["service"])}";
        if (parameters.TryGetValue("scope", out var scope))
        {
            url += $"&scope={Uri.EscapeDataString(scope)}";
        }

        var token = await FetchTokenAsync(url);
        if (token is null)
        {
            return first;
        }

        first.Dispose();
        var retry = create();
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(retry);
    }

    public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string uri)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(method, uri));
        return response.StatusCode;
    }

    public async Task<string?> FetchTokenAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        using var response = await Http.SendAsync(request);
        LastTokenStatus = response.StatusCode;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("token").GetString();
    }

    public static Dictionary<string, string> ParseChallenge(string parameter) =>
        ChallengeParameter().Matches(parameter).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    [GeneratedRegex("([a-z_]+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();
}
