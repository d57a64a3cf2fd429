using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>
/// Redeploy hook tokens: 32 random bytes, base64url without padding (43 characters). Only the SHA-256 of the token
/// is stored, with its first <see cref="PrefixLength"/> characters for people to tell hooks apart; the token is random,
/// not a password, so a fast hash is enough.
/// </summary>
internal static class StackHookToken
{
    public const int PrefixLength = 8;

    /// <summary>Length of every token this class makes; anything else cannot match and is refused before hashing.</summary>
    public const int Length = 43;

    public static (string Token, string Prefix, byte[] Hash) Create()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, token[..PrefixLength], HashOf(token));
    }

    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Constant-time comparison of a presented token's hash with a stored one.</summary>
    public static bool Matches(byte[] presentedHash, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(presentedHash, storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
