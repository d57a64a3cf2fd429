using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Cli.Stacks;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Signing;

/// <summary>The signing call of /api/v1 as <c>dockyard sign</c> makes it; a refusal becomes a <see cref="StackApiException"/> carrying the server's problem document.</summary>
internal sealed class SignApiClient(HttpClient http)
{
    /// <summary>POST /api/v1/repositories/{name}/manifests/{reference}/signatures with <c>{"key": …}</c>.</summary>
    public async Task<SignatureWire> SignAsync(ImageArgument image, string key, CancellationToken cancellationToken)
    {
        // A digest's ':' is a valid path character; the repository's '/' are path separators the route expects.
        var path = $"api/v1/repositories/{image.Repository}/manifests/{image.Reference}/signatures";
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(new SignRequestWire(key), SignCliJsonContext.Default.SignRequestWire), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new StackApiException(response.StatusCode, ReadProblem(response, text), text.Length <= 500 ? text.Trim() : text[..500] + "…");
        }

        try
        {
            return JsonSerializer.Deserialize(text, SignCliJsonContext.Default.SignatureWire) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StackApiException(HttpStatusCode.OK, new ProblemWire("Unexpected answer", null, $"the server's answer is not what this CLI understands ({e.Message})", null, null, null, null, null), text);
        }
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
}
