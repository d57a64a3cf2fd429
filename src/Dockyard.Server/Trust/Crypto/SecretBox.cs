using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// NaCl <c>crypto_secretbox</c> (XSalsa20-Poly1305) in Go's <c>x/crypto/nacl/secretbox</c> layout: the box is the
/// 16-byte Poly1305 tag followed by the ciphertext. The Poly1305 key is the first 32 bytes of the XSalsa20 keystream;
/// the message is encrypted with the keystream from byte 32 on.
/// </summary>
internal static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int TagSize = 16;

    /// <summary>Encrypts and authenticates <paramref name="message"/>: tag (16) || ciphertext.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        var stream = CreateStream(nonce, key, out var macKey);
        var box = new byte[TagSize + message.Length];
        stream.ProcessBytes(message, box.AsSpan(TagSize));
        ComputeTag(macKey, box.AsSpan(TagSize), box.AsSpan(0, TagSize));
        CryptographicOperations.ZeroMemory(macKey);
        return box;
    }

    /// <summary>The message in <paramref name="box"/>, or null when the box is too short or its tag does not authenticate.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (box.Length < TagSize)
        {
            return null;
        }

        var stream = CreateStream(nonce, key, out var macKey);
        Span<byte> tag = stackalloc byte[TagSize];
        ComputeTag(macKey, box[TagSize..], tag);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(tag, box[..TagSize]))
        {
            return null;
        }

        var message = new byte[box.Length - TagSize];
        stream.ProcessBytes(box[TagSize..], message);
        return message;
    }

    private static XSalsa20Engine CreateStream(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key, out byte[] macKey)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"a secretbox key is {KeySize} bytes.", nameof(key));
        }

        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"a secretbox nonce is {NonceSize} bytes.", nameof(nonce));
        }

        var engine = new XSalsa20Engine();
        engine.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        macKey = new byte[32];
        engine.ProcessBytes(new byte[32], macKey); // keystream block 0, bytes 0..31
        return engine;
    }

    private static void ComputeTag(byte[] macKey, ReadOnlySpan<byte> ciphertext, Span<byte> tag)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(ciphertext);
        mac.DoFinal(tag);
    }
}
