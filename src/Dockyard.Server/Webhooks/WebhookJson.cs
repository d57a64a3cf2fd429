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
}
