using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Protection;

/// <summary>
/// Seals secrets kept in the database with AES-256-GCM under the key from <see cref="SecretKeyFile"/>, so a copy of
/// the database (a file read by another local account, a backup) reveals none of them. A sealed value is text:
/// <c>dy1:</c> + the key id + <c>:</c> + base64(12-byte nonce | ciphertext | 16-byte tag), the prefix being the
/// associated data. The version and the key id let a later key (or envelope encryption) take over value by value.
/// </summary>
internal sealed class SecretProtector(SecretKeyFile keyFile)
{
    /// <summary>Every sealed value starts with this.</summary>
    public const string Prefix = "dy1:";

    private const int KeyIdLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 4 + KeyIdLength + 1;

    /// <summary>Seals <paramref name="clear"/> with a fresh nonce.</summary>
    public string Protect(string clear)
    {
        var key = keyFile.Key;
        var header = Prefix + key.Id + ":";
        var plaintext = Encoding.UTF8.GetBytes(clear);
        var sealedBytes = new byte[NonceLength + plaintext.Length + TagLength];
        var nonce = sealedBytes.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagLength);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceLength, plaintext.Length), sealedBytes.AsSpan(NonceLength + plaintext.Length), Encoding.ASCII.GetBytes(header));
        return header + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// The clear text of a sealed value. A value that is not sealed is returned as it is: one written before encryption
    /// at rest, which the next start seals. Throws <see cref="CryptographicException"/> when the value was sealed with
    /// another key or was altered.
    /// </summary>
    public string Unprotect(string stored)
    {
        if (!TryParse(stored, out var keyId, out var sealedBytes))
        {
            return stored;
        }

        var key = keyFile.Key;
        if (!string.Equals(keyId, key.Id, StringComparison.Ordinal))
        {
            throw new CryptographicException(
                $"A secret in the database was encrypted with key {keyId}, but {keyFile.Path} holds key {key.Id}. Restore the key file that " +
                "was backed up with this database (every replica needs the same one).");
        }

        var length = sealedBytes.Length - NonceLength - TagLength;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key.Bytes, TagLength);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceLength), sealedBytes.AsSpan(NonceLength, length), sealedBytes.AsSpan(NonceLength + length), plaintext, Encoding.ASCII.GetBytes(stored[..HeaderLength]));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new CryptographicException($"A secret in the database encrypted with key {keyId} does not decrypt: it was altered.", ex);
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>Whether <paramref name="stored"/> is a sealed value (of any key).</summary>
    public static bool IsProtected(string? stored) => TryParse(stored, out _, out _);

    /// <summary>The length of the sealed form of a value of <paramref name="clearBytes"/> UTF-8 bytes.</summary>
    public static int ProtectedLength(int clearBytes) => HeaderLength + (4 * ((NonceLength + clearBytes + TagLength + 2) / 3));

    private static bool TryParse(string? stored, out string keyId, out byte[] sealedBytes)
    {
        keyId = string.Empty;
        sealedBytes = [];
        if (stored is null || stored.Length < HeaderLength || !stored.StartsWith(Prefix, StringComparison.Ordinal) || stored[HeaderLength - 1] != ':')
        {
            return false;
        }

        try
        {
            sealedBytes = Convert.FromBase64String(stored[HeaderLength..]);
        }
        catch (FormatException)
        {
            return false;
        }

        keyId = stored.Substring(Prefix.Length, KeyIdLength);
        return sealedBytes.Length >= NonceLength + TagLength;
    }
}
