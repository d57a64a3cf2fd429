namespace Dockyard.Registry.Tests;

public class ReferenceTests
{
    private const string Sha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void TryParse_Tag_ReturnsTagReference()
    {
        Assert.True(Reference.TryParse("v1.0", out var reference, out var looksLikeDigest));

        Assert.False(looksLikeDigest);
        Assert.True(reference.IsTag);
        Assert.Equal("v1.0", reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal("v1.0", reference.ToString());
    }

    [Fact]
    public void TryParse_Digest_ReturnsDigestReference()
    {
        Assert.True(Reference.TryParse(Sha256, out var reference, out var looksLikeDigest));

        Assert.True(looksLikeDigest);
        Assert.False(reference.IsTag);
        Assert.Null(reference.Tag);
        Assert.Equal(Digest.Parse(Sha256), reference.Digest);
        Assert.Equal(Sha256, reference.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public void TryParse_BadDigest_FailsAndReportsDigestShape(string value)
    {
        Assert.False(Reference.TryParse(value, out _, out var looksLikeDigest));
        Assert.True(looksLikeDigest);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".bad")]
    [InlineData("a/b")]
    public void TryParse_BadTag_FailsAndReportsTagShape(string? value)
    {
        Assert.False(Reference.TryParse(value, out _, out var looksLikeDigest));
        Assert.False(looksLikeDigest);
    }

    [Fact]
    public void ForTag_ValidTag_IsTag() => Assert.Equal("latest", Reference.ForTag("latest").Tag);

    [Fact]
    public void ForTag_InvalidTag_ThrowsFormatException() => Assert.Throws<FormatException>(() => Reference.ForTag("-x"));

    [Fact]
    public void ForDigest_Digest_IsNotTag()
    {
        var reference = Reference.ForDigest(Digest.Parse(Sha256));

        Assert.False(reference.IsTag);
        Assert.Equal(Sha256, reference.Digest?.Value);
    }
}
