using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Identity;

/// <summary>
/// Random bearer secrets (access and refresh tokens): <c>dky_</c> + 43 base62 characters (~256 bits). The first
/// <see cref="PrefixLength"/> characters are stored in clear for lookup; only the SHA-256 of the whole secret is
/// stored, which is enough because the secret is random, not a password.
/// </summary>
internal static class SecretToken
{
    public const string Marker = "dky_";
    public const int PrefixLength = 12;
    private const int RandomLength = 43;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static (string Secret, string Prefix, string Hash) Create()
    {
        var secret = Marker + RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return (secret, secret[..PrefixLength], HashOf(secret));
    }

    /// <summary>True when <paramref name="value"/> has the shape of one of our secrets (cheap pre-check, not validation).</summary>
    public static bool LooksLikeSecret(string? value) =>
        value is { Length: > PrefixLength } && value.StartsWith(Marker, StringComparison.Ordinal);

    public static string PrefixOf(string secret) => secret[..PrefixLength];

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(storedHash));
}
