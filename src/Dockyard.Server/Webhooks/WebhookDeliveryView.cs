using System.Text.Json;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Webhooks;

/// <summary>One delivery of a webhook with every attempt, as the API and the UI show it (never its payload's signature).</summary>
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
    IReadOnlyList<WebhookAttempt> History)
{
    public static WebhookDeliveryView From(WebhookDeliveryEntity delivery) => new(
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
        JsonSerializer.Deserialize<List<WebhookAttempt>>(delivery.AttemptsJson, WebhookJson.Options) ?? []);
}
