using Dockyard.Control.Compose;

namespace Dockyard.Control.Tests.Compose;

public sealed class ComposeInterpolatorTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["TAG"] = "1.2",
        ["EMPTY"] = "",
        ["HOST"] = "db",
    };

    [Theory]
    [InlineData("web:${TAG}", "web:1.2")]
    [InlineData("web:$TAG", "web:1.2")]
    [InlineData("$TAG-x", "1.2-x")]
    [InlineData("${MISSING:-latest}", "latest")]
    [InlineData("${EMPTY:-latest}", "latest")]
    [InlineData("${EMPTY-latest}", "")]
    [InlineData("${MISSING-latest}", "latest")]
    [InlineData("${TAG:-latest}", "1.2")]
    [InlineData("${TAG:?needed}", "1.2")]
    [InlineData("${EMPTY?needed}", "")]
    [InlineData("${TAG:+set}", "set")]
    [InlineData("${MISSING:+set}", "")]
    [InlineData("${MISSING:-${HOST}:5432}", "db:5432")]
    [InlineData("cost $$5 and $${TAG}", "cost $5 and ${TAG}")]
    [InlineData("no variables", "no variables")]
    public void Interpolate_ResolvesTheComposeForms(string text, string expected)
    {
        var unset = new List<string>();

        Assert.Equal(expected, ComposeInterpolator.Interpolate(text, Environment, unset.Add));
        Assert.Empty(unset);
    }

    [Fact]
    public void Interpolate_AnUnsetVariableIsBlankAndReported()
    {
        var unset = new List<string>();

        Assert.Equal("a---b", ComposeInterpolator.Interpolate("a-${NOPE}-$ALSO_NOT-b", Environment, unset.Add));
        Assert.Equal(["NOPE", "ALSO_NOT"], unset);
    }

    [Theory]
    [InlineData("${MISSING:?the database password}", "required variable MISSING is missing a value: the database password")]
    [InlineData("${EMPTY:?set it}", "required variable EMPTY is missing a value: set it")]
    [InlineData("${MISSING?}", "required variable MISSING is missing a value")]
    [InlineData("${TAG", "'${' without a closing '}'")]
    [InlineData("a $ b", "invalid interpolation '$ '; write $$ for a literal $")]
    [InlineData("${1A}", "invalid variable name in '${1A}'")]
    public void Interpolate_RefusesWithAReason(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => ComposeInterpolator.Interpolate(text, Environment, _ => { }));

        Assert.Equal(reason, e.Message);
    }
}
