namespace Dockyard.Registry.Tests;

public class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("library/ubuntu")]
    [InlineData("my-org/team/app")]
    [InlineData("a.b/c_d/e__f/g--h")]
    [InlineData("0/1/2/3/4/5/6/7/8/9")]
    public void TryParse_ValidName_ReturnsTrue(string value)
    {
        Assert.True(RepositoryName.TryParse(value, out var name));
        Assert.Equal(value, name.Value);
        Assert.Equal(value, name.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("a/..")]
    [InlineData("%2e%2e")]
    [InlineData("a/%2e%2e/b")]
    [InlineData("Library/ubuntu")]
    [InlineData("library/Ubuntu")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("_a")]
    [InlineData("a_")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a\\b")]
    [InlineData("a:b")]
    [InlineData("a\n")]
    [InlineData("a/b\n")]
    public void TryParse_InvalidName_ReturnsFalse(string? value) => Assert.False(RepositoryName.TryParse(value, out _));

    [Fact]
    public void TryParse_255Characters_ReturnsTrue() => Assert.True(RepositoryName.TryParse(new string('a', 255), out _));

    [Fact]
    public void TryParse_256Characters_ReturnsFalse() => Assert.False(RepositoryName.TryParse(new string('a', 256), out _));

    [Theory]
    [InlineData("library/ubuntu", "library")]
    [InlineData("a/b/c", "a")]
    [InlineData("solo", "solo")]
    public void Namespace_Name_IsFirstComponent(string value, string expected) =>
        Assert.Equal(expected, RepositoryName.Parse(value).Namespace);

    [Fact]
    public void Parse_Invalid_ThrowsFormatException() => Assert.Throws<FormatException>(() => RepositoryName.Parse("A"));
}
