using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Webhooks;

/// <summary><c>X-Dockyard-Signature-256</c>: <c>sha256=</c> + lowercase hex HMAC-SHA256 of the raw body, keyed with the webhook secret.</summary>
internal static class WebhookSignature
{
    public const string Header = "X-Dockyard-Signature-256";
    public const string EventHeader = "X-Dockyard-Event";
    public const string DeliveryHeader = "X-Dockyard-Delivery";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time check, as a receiver would do it.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, body)), Encoding.ASCII.GetBytes(header));

    /// <summary>A new random secret (256 bits, hex).</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
