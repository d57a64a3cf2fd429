using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Answers a registry's Bearer challenge the way docker does: on a 401, a token from the challenge's realm (Basic
/// credentials, the challenged repository with pull and push), then the request once more. Tokens are kept per
/// repository and sent up front on later requests, so through a round-robin balancer a token issued by one replica is
/// used on the others. Requests are re-sent only when their content can be (byte arrays, or none).
/// </summary>
public sealed class RegistryBearerHandler(string username, string password) : DelegatingHandler(new HttpClientHandler())
{
    private const string CatalogScope = "registry:catalog:*";
    private static readonly string[] Kinds = ["/blobs/", "/manifests/", "/tags/", "/referrers/"];
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>How many tokens were fetched (each a request to the token endpoint through the balancer).</summary>
    public int TokensIssued => _issued;

    private int _issued;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(request.RequestUri!);
        if (scope is not null && _tokens.TryGetValue(scope, out var cached))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cached);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not (null or ByteArrayContent)
            || response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer")?.Parameter is not { } challenge)
        {
            return response;
        }

        var parameters = Parse(challenge);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            return response;
        }

        // The challenge names what this request needs (delete, say); pull and push come along for the requests after it.
        var challenged = parameters.GetValueOrDefault("scope");
        scope ??= challenged;
        var token = await FetchAsync(realm, parameters.GetValueOrDefault("service"), [.. new[] { challenged, scope }.OfType<string>().Distinct()], cancellationToken);
        if (scope is not null)
        {
            _tokens[scope] = token;
        }

        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>repository:NAME:pull,push for /v2/NAME/(blobs|manifests|tags|referrers)/…, the catalog scope for /v2/_catalog.</summary>
    private static string? ScopeOf(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.StartsWith("/v2/_catalog", StringComparison.Ordinal))
        {
            return CatalogScope;
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return null;
        }

        var end = Kinds.Select(k => path.LastIndexOf(k, StringComparison.Ordinal)).Max();
        return end > 4 ? $"repository:{path[4..end]}:pull,push" : null;
    }

    private async Task<string> FetchAsync(string realm, string? service, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("?");
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        foreach (var scope in scopes)
        {
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, realm + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"token request for {string.Join(' ', scopes)} answered {(int)response.StatusCode}: {body}");
        }

        Interlocked.Increment(ref _issued);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("token", out var token) ? token.GetString()! : json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static Dictionary<string, string> Parse(string challenge)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < challenge.Length)
        {
            var eq = challenge.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = challenge[i..eq].Trim(' ', ',');
            string value;
            if (eq + 1 < challenge.Length && challenge[eq + 1] == '"')
            {
                var close = challenge.IndexOf('"', eq + 2);
                value = challenge[(eq + 2)..close];
                i = close + 1;
            }
            else
            {
                var comma = challenge.IndexOf(',', eq + 1);
                value = comma < 0 ? challenge[(eq + 1)..] : challenge[(eq + 1)..comma];
                i = comma < 0 ? challenge.Length : comma + 1;
            }

            values[key] = value;
        }

        return values;
    }
}
