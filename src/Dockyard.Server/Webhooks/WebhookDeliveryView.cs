using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// One delivery of a webhook with every attempt (and the start of each response), the payload that was sent and what it
/// was about, as the API and the UI show it (never its signature). <see cref="RedeliveryOf"/> names the first delivery
/// of the same event to this webhook when this one is a manual redelivery.
/// </summary>
internal sealed record WebhookDeliveryView(
    string Id,
    string EventId,
    string Event,
    string Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    int? LastDurationMs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttempt> History,
    string? Repository,
    string? Tag,
    string? Digest,
    JsonElement Payload,
    string? RedeliveryOf)
{
    public static WebhookDeliveryView From(WebhookDeliveryEntity delivery, string? redeliveryOf = null)
    {
        using var payload = JsonDocument.Parse(delivery.Payload);
        var root = payload.RootElement;
        return new WebhookDeliveryView(
            delivery.DeliveryId,
            delivery.EventId,
            delivery.EventType,
            delivery.Status,
            delivery.Attempts,
            delivery.LastStatusCode,
            delivery.LastError,
            delivery.LastDurationMs,
            delivery.CreatedAt,
            delivery.NextAttemptAt,
            delivery.CompletedAt,
            JsonSerializer.Deserialize<List<WebhookAttempt>>(delivery.AttemptsJson, WebhookJson.Options) ?? [],
            Text(root, "repository"),
            Text(root, "tag"),
            Text(root, "digest"),
            root.Clone(),
            redeliveryOf);
    }

    /// <summary>The payload as sent, indented for reading (the UI's; the API has <see cref="Payload"/>).</summary>
    [JsonIgnore]
    public string PayloadText => JsonSerializer.Serialize(Payload, WebhookJson.Indented);

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
