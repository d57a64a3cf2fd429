using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Server.Webhooks;

/// <summary>How payloads and attempt histories are written: camelCase, nulls omitted.</summary>
internal static class WebhookJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// As <see cref="Options"/>, indented and without escaping <c>+</c> or non-ASCII letters: a payload shown to a person.
    /// Only for display, where the page escapes it for HTML anyway; never for what is sent.
    /// </summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
