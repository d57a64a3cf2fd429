namespace Dockyard.Registry.Tests;

public class TagTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_underscore-first")]
    [InlineData("UPPER_and_lower")]
    [InlineData("1")]
    [InlineData("a..b--c__d")]
    public void IsValid_ValidTag_ReturnsTrue(string value) => Assert.True(Tag.IsValid(value));

    [Fact]
    public void IsValid_128Characters_ReturnsTrue() => Assert.True(Tag.IsValid(new string('a', 128)));

    [Fact]
    public void IsValid_129Characters_ReturnsFalse() => Assert.False(Tag.IsValid(new string('a', 129)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("latest\n")]
    public void IsValid_InvalidTag_ReturnsFalse(string? value) => Assert.False(Tag.IsValid(value));
}
