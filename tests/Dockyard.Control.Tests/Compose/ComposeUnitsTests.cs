using Dockyard.Control.Compose;

namespace Dockyard.Control.Tests.Compose;

public sealed class ComposeUnitsTests
{
    [Theory]
    [InlineData("10s", 10_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("250us", 250_000L)]
    [InlineData("0", 0L)]
    public void ParseDuration_ReadsGoDurations(string text, long nanoseconds) =>
        Assert.Equal(nanoseconds, ComposeUnits.Nanoseconds(ComposeUnits.ParseDuration(text)!.Value));

    [Theory]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("s")]
    [InlineData("1d")]
    public void ParseDuration_RefusesOtherText(string text) => Assert.Null(ComposeUnits.ParseDuration(text));

    [Theory]
    [InlineData("512M", 536_870_912L)]
    [InlineData("1g", 1_073_741_824L)]
    [InlineData("1.5GB", 1_610_612_736L)]
    [InlineData("64kib", 65_536L)]
    [InlineData("1000", 1000L)]
    public void ParseBytes_UsesDockerBinaryUnits(string text, long bytes) => Assert.Equal(bytes, ComposeUnits.ParseBytes(text));

    [Theory]
    [InlineData("0.5", 500_000_000L)]
    [InlineData("2", 2_000_000_000L)]
    [InlineData("0.000000001", 1L)]
    public void ParseNanoCpus_IsExact(string text, long nanos) => Assert.Equal(nanos, ComposeUnits.ParseNanoCpus(text));

    [Theory]
    [InlineData("0440", 288L)]
    [InlineData("0o440", 288L)]
    [InlineData("0x1F", 31L)]
    [InlineData("440", 440L)]
    [InlineData("0", 0L)]
    public void ParseInteger_ReadsOctalLikeGoYaml(string text, long value) => Assert.Equal(value, ComposeUnits.ParseInteger(text));

    [Theory]
    [InlineData("sh -c 'echo $HOME; sleep 1'", new[] { "sh", "-c", "echo $HOME; sleep 1" })]
    [InlineData("httpd -f -p \"8080\"", new[] { "httpd", "-f", "-p", "8080" })]
    [InlineData("echo a\\ b \"c \\\"d\\\"\"", new[] { "echo", "a b", "c \"d\"" })]
    [InlineData("  spaced   out  ", new[] { "spaced", "out" })]
    public void ShellWords_SplitLikeAShell(string text, string[] words) => Assert.Equal(words, ShellWords.Split(text));
}
