using System.Security.Cryptography;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// An endless, reproducible pseudo-random byte sequence with random access by offset (SplitMix64 per 8-byte word),
/// so large test blobs can be streamed, resumed at any offset and digested without ever being held in memory.
/// </summary>
public static class DeterministicData
{
    public static void Fill(ulong seed, long offset, Span<byte> destination)
    {
        var word = ulong.MaxValue;
        var value = 0UL;
        for (var i = 0; i < destination.Length; i++)
        {
            var position = (ulong)(offset + i);
            var index = position >> 3;
            if (index != word)
            {
                word = index;
                value = SplitMix64(seed ^ index);
            }

            destination[i] = (byte)(value >> (int)((position & 7) * 8));
        }
    }

    /// <summary>"sha256:hex" of bytes [offset, offset+length) of the sequence.</summary>
    public static string Sha256Digest(ulong seed, long offset, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long done = 0; done < length;)
        {
            var n = (int)Math.Min(buffer.Length, length - done);
            Fill(seed, offset + done, buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
            done += n;
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
