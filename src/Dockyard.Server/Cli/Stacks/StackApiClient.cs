using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// The stack calls of /api/v1 as the CLI makes them, with the access token as Bearer. A refusal or failure becomes a
/// <see cref="StackApiException"/> carrying the server's problem document.
/// </summary>
internal sealed class StackApiClient(HttpClient http, ILogger logger)
{
    private const int MaxBodyInMessage = 500;

    /// <summary>An HttpClient for <paramref name="settings"/> over <paramref name="handler"/> (disposed with it).</summary>
    public static HttpClient CreateHttpClient(RemoteSettings settings, HttpMessageHandler handler)
    {
        var baseAddress = settings.Server.AbsoluteUri.EndsWith('/') ? settings.Server : new Uri(settings.Server.AbsoluteUri + "/");
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("dockyard-cli", typeof(StackApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return client;
    }

    /// <summary>GET /api/v1/stacks: the parsed list and the answer's raw JSON (for <c>--format json</c>).</summary>
    public async Task<(StackListWire List, JsonDocument Raw)> ListAsync(CancellationToken cancellationToken)
    {
        var text = await SendAsync(HttpMethod.Get, "api/v1/stacks", null, cancellationToken);
        return (Parse(text, StackCliJsonContext.Default.StackListWire), JsonDocument.Parse(text));
    }

    /// <summary>GET /api/v1/stacks/{name}; null when the server says it does not exist (or the token may not see it).</summary>
    public async Task<StackDetailWire?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var text = await SendAsync(HttpMethod.Get, StackPath(name), null, cancellationToken);
            return Parse(text, StackCliJsonContext.Default.StackDetailWire).Effective;
        }
        catch (StackApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>POST /api/v1/stacks (<paramref name="create"/>) or PUT /api/v1/stacks/{name}: the deployed detail with revision and warnings.</summary>
    public async Task<StackDetailWire> DeployAsync(StackDeployWire body, bool create, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(body, StackCliJsonContext.Default.StackDeployWire);
        var text = create
            ? await SendAsync(HttpMethod.Post, "api/v1/stacks", json, cancellationToken)
            : await SendAsync(HttpMethod.Put, StackPath(body.Name), json, cancellationToken);
        return Parse(text, StackCliJsonContext.Default.StackDetailWire).Effective;
    }

    /// <summary>GET /api/v1/stacks/{name}/tasks: the parsed tasks and the raw JSON.</summary>
    public async Task<(StackTaskListWire Tasks, JsonDocument Raw)> TasksAsync(string name, CancellationToken cancellationToken)
    {
        var text = await SendAsync(HttpMethod.Get, StackPath(name) + "/tasks", null, cancellationToken);
        return (Parse(text, StackCliJsonContext.Default.StackTaskListWire), JsonDocument.Parse(text));
    }

    /// <summary>DELETE /api/v1/stacks/{name}.</summary>
    public Task RemoveAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, StackPath(name), null, cancellationToken);

    /// <summary>GET of any <c>/api/v1</c> path: the answer's text (other verbs on the same server and token, e.g. search).</summary>
    public Task<string> GetTextAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    private static string StackPath(string name) => "api/v1/stacks/" + Uri.EscapeDataString(name);

    private static T Parse<T>(string text, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(text.Length == 0 ? "{}" : text, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StackApiException(HttpStatusCode.OK, new ProblemWire("Unexpected answer", null, $"the server's answer is not what this CLI understands ({e.Message})", null, null, null, null, null), Truncate(text));
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var uri = new Uri(http.BaseAddress!, path);
        StackCliLog.Request(logger, method.Method, uri);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        StackCliLog.Response(logger, method.Method, uri, (int)response.StatusCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.IsSuccessStatusCode)
        {
            return text;
        }

        throw new StackApiException(response.StatusCode, ReadProblem(response, text), Truncate(text));
    }

    private static ProblemWire? ReadProblem(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, StackCliJsonContext.Default.ProblemWire);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) =>
        text.Length <= MaxBodyInMessage ? text.Trim() : text[..MaxBodyInMessage].Trim() + "…";
}
