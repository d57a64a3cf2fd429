using System.Text.Json;
using Dockyard.Server.Webhooks;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>One request as the receiver got it.</summary>
internal sealed record ReceivedWebhook(int Number, IReadOnlyDictionary<string, string> Headers, byte[] Body, JsonElement Payload)
{
    public string? Event => Headers.GetValueOrDefault(WebhookSignature.EventHeader);

    public string? Delivery => Headers.GetValueOrDefault(WebhookSignature.DeliveryHeader);

    public string? Signature => Headers.GetValueOrDefault(WebhookSignature.Header);

    public string? Field(string name) => Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
