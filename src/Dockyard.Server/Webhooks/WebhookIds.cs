using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Event and delivery ids derived from the recorded event's id, so that handing one event over again yields the same
/// ids: the same <c>X-Dockyard-Delivery</c> for the same webhook (whose unique index then refuses a second row) and the
/// same payload <c>id</c>, which lets receivers discard repeats.
/// </summary>
internal static class WebhookIds
{
    /// <summary>The payload id of the <paramref name="type"/> event raised for recorded event <paramref name="eventId"/>.</summary>
    public static string Event(string eventId, string type) => Derive($"event\0{eventId}\0{type}");

    /// <summary>The delivery id of payload <paramref name="payloadId"/> to webhook <paramref name="webhookId"/>.</summary>
    public static string Delivery(string payloadId, long webhookId) => Derive($"delivery\0{payloadId}\0{webhookId}");

    // A name-based UUID (RFC 9562 version 8: SHA-256 of the name, version and variant bits set).
    private static string Derive(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
