using Dockyard.Server.Cli;

namespace Dockyard.Server.Tests.Cli;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("0s", 0)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1.5h", 5400)]
    [InlineData("01:00:00", 3600)]
    [InlineData("1.00:00:00", 86400)]
    public void TryParse_Valid_ReturnsDuration(string text, int seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("-1h")]
    [InlineData("-01:00:00")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
