using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockyard.Control.Engines;

/// <summary>
/// Reads and writes engine documents as <see cref="JsonObject"/> for the read-modify-write calls (swarm update, node
/// update) that must send the whole spec back: fields this code does not model survive the round trip. Parsed
/// case-sensitively on purpose, so label keys that differ only by case stay distinct.
/// </summary>
internal static class EngineJsonObjects
{
    /// <summary>GETs <paramref name="path"/> as a JSON object, bounded by <see cref="EngineClient.RequestTimeout"/>.</summary>
    public static async Task<JsonObject> GetObjectAsync(this EngineClient engine, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EngineClient.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await JsonNode.ParseAsync(body, cancellationToken: timeout.Token) as JsonObject
                ?? throw new EngineApiException(engine.Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered with something other than a JSON object");
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine.Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered with JSON that could not be read: " + ex.Message, ex);
        }
    }

    /// <summary>Request content for <paramref name="value"/>, with a length (not chunked).</summary>
    public static HttpContent Content(JsonNode value) => new StringContent(value.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary><c>Version.Index</c> of a swarm object.</summary>
    public static long VersionIndex(this JsonObject document, string engine) =>
        document["Version"]?["Index"]?.GetValueKind() == JsonValueKind.Number
            ? document["Version"]!["Index"]!.GetValue<long>()
            : throw new EngineApiException(engine, EngineErrorKind.Failed, null, "answered an object without Version.Index");

    /// <summary>The object's <c>Spec</c>, detached so it can be sent on its own.</summary>
    public static JsonObject DetachSpec(this JsonObject document, string engine)
    {
        if (document["Spec"] is not JsonObject spec)
        {
            throw new EngineApiException(engine, EngineErrorKind.Failed, null, "answered an object without a Spec");
        }

        document.Remove("Spec");
        return spec;
    }
}
