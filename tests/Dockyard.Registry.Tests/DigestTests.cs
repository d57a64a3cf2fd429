using System.Text;

namespace Dockyard.Registry.Tests;

public class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string EmptySha512 =
        "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    [Theory]
    [InlineData(EmptySha256, DigestAlgorithm.Sha256)]
    [InlineData(EmptySha512, DigestAlgorithm.Sha512)]
    public void TryParse_WellFormedDigest_ReturnsTrue(string value, DigestAlgorithm algorithm)
    {
        Assert.True(Digest.TryParse(value, out var digest));
        Assert.Equal(value, digest.Value);
        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(value, digest.ToString());
    }

    [Fact]
    public void Properties_Sha256Digest_SplitAlgorithmAndHex()
    {
        var digest = Digest.Parse(EmptySha256);

        Assert.Equal("sha256", digest.AlgorithmName);
        Assert.Equal(EmptySha256["sha256:".Length..], digest.Hex);
    }

    [Theory]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852B855")]
    public void TryParse_UppercaseHex_ReturnsFalse(string value) => Assert.False(Digest.TryParse(value, out _));

    [Theory]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:")]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void TryParse_WrongLength_ReturnsFalse(string value) => Assert.False(Digest.TryParse(value, out _));

    [Theory]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void TryParse_UnknownAlgorithm_ReturnsFalse(string value) => Assert.False(Digest.TryParse(value, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g")]
    [InlineData(" sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\n")]
    public void TryParse_Malformed_ReturnsFalse(string? value) => Assert.False(Digest.TryParse(value, out _));

    [Fact]
    public void Parse_Invalid_ThrowsFormatException() => Assert.Throws<FormatException>(() => Digest.Parse("sha256:nope"));

    [Fact]
    public void Compute_EmptyInputSha256_MatchesKnownVector() => Assert.Equal(EmptySha256, Digest.Compute([]).Value);

    [Fact]
    public void Compute_EmptyInputSha512_MatchesKnownVector() =>
        Assert.Equal(EmptySha512, Digest.Compute([], DigestAlgorithm.Sha512).Value);

    [Fact]
    public void Compute_Abc_MatchesKnownVector() =>
        Assert.Equal(
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Digest.Compute("abc"u8).Value);

    [Fact]
    public void CreateHasher_IncrementalInput_MatchesCompute()
    {
        using var hasher = Digest.CreateHasher(DigestAlgorithm.Sha256);
        hasher.AppendData(Encoding.ASCII.GetBytes("a"));
        hasher.AppendData(Encoding.ASCII.GetBytes("bc"));

        Assert.Equal(Digest.Compute("abc"u8), Digest.FromHash(DigestAlgorithm.Sha256, hasher.GetHashAndReset()));
    }

    [Fact]
    public void Equality_SameString_AreEqual() => Assert.Equal(Digest.Parse(EmptySha256), Digest.Compute([]));

    [Theory]
    [InlineData("sha256:abc", true)]
    [InlineData("foo:bar", true)]
    [InlineData("latest", false)]
    public void LooksLikeDigest_ColonPresence_Detected(string value, bool expected) =>
        Assert.Equal(expected, Digest.LooksLikeDigest(value));
}
