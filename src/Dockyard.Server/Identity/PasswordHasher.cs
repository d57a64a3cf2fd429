using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Identity;

/// <summary>
/// PBKDF2-HMAC-SHA512 password hashes encoded as <c>pbkdf2-sha512$iterations$salt$hash</c> (base64), so the
/// work factor can be raised later without invalidating stored hashes. Verification is constant-time.
/// </summary>
internal static class PasswordHasher
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA512.</summary>
    public const int DefaultIterations = 210_000;

    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="encoded"/>; false for any malformed hash.</summary>
    public static bool Verify(string password, string? encoded)
    {
        var parts = encoded?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A hash of a random password, verified against when the user does not exist so timing does not reveal it.</summary>
    public static readonly string DummyHash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
}
