using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Dockyard.Registry;

/// <summary>Hash algorithms a <see cref="Digest"/> may use.</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}

/// <summary>
/// A content digest, <c>algorithm:encoded</c>, as defined by the OCI image spec. Only the registered
/// algorithms <c>sha256</c> and <c>sha512</c> are accepted, with their lowercase hex encodings, so
/// two equal digests are always equal strings.
/// </summary>
public readonly record struct Digest
{
    private const string Sha256Prefix = "sha256:";
    private const string Sha512Prefix = "sha512:";

    private Digest(string value, DigestAlgorithm algorithm)
    {
        Value = value;
        Algorithm = algorithm;
    }

    /// <summary>The full digest string, e.g. <c>sha256:9f86…</c>.</summary>
    public string Value { get; }

    public DigestAlgorithm Algorithm { get; }

    /// <summary>The algorithm's name as it appears in the digest string.</summary>
    public string AlgorithmName => Algorithm == DigestAlgorithm.Sha256 ? "sha256" : "sha512";

    /// <summary>The lowercase hex part after the colon.</summary>
    public string Hex => Value[(Value.IndexOf(':') + 1)..];

    public override string ToString() => Value ?? string.Empty;

    /// <summary>Parses a digest, returning false for any string that is not a supported, well-formed digest.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (value is null)
        {
            return false;
        }

        DigestAlgorithm algorithm;
        int hexLength;
        if (value.StartsWith(Sha256Prefix, StringComparison.Ordinal))
        {
            algorithm = DigestAlgorithm.Sha256;
            hexLength = 64;
        }
        else if (value.StartsWith(Sha512Prefix, StringComparison.Ordinal))
        {
            algorithm = DigestAlgorithm.Sha512;
            hexLength = 128;
        }
        else
        {
            return false;
        }

        var hex = value.AsSpan(7);
        if (hex.Length != hexLength)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        digest = new Digest(value, algorithm);
        return true;
    }

    /// <summary>Parses a digest or throws <see cref="FormatException"/>.</summary>
    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"'{value}' is not a valid sha256 or sha512 digest.");

    /// <summary>True when <paramref name="value"/> looks like <c>algorithm:encoded</c> by the generic grammar, whether or not the algorithm is supported.</summary>
    public static bool LooksLikeDigest(string value) => value.Contains(':', StringComparison.Ordinal);

    /// <summary>Computes the digest of <paramref name="content"/> with <paramref name="algorithm"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, DigestAlgorithm algorithm = DigestAlgorithm.Sha256)
    {
        Span<byte> hash = stackalloc byte[64];
        var written = algorithm == DigestAlgorithm.Sha256
            ? SHA256.HashData(content, hash)
            : SHA512.HashData(content, hash);
        return FromHash(algorithm, hash[..written]);
    }

    /// <summary>Builds a digest from a raw hash value.</summary>
    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash)
    {
        var prefix = algorithm == DigestAlgorithm.Sha256 ? Sha256Prefix : Sha512Prefix;
        return new Digest(prefix + Convert.ToHexStringLower(hash), algorithm);
    }

    /// <summary>Creates an incremental hasher for this digest's algorithm.</summary>
    public static IncrementalHash CreateHasher(DigestAlgorithm algorithm) =>
        IncrementalHash.CreateHash(algorithm == DigestAlgorithm.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512);
}
