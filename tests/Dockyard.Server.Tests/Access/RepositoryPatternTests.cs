using System.Diagnostics;
using Dockyard.Server.Access;

namespace Dockyard.Server.Tests.Access;

public sealed class RepositoryPatternTests
{
    [Theory]
    [InlineData("prod", "prod", true)]
    [InlineData("prod", "prod/app", false)]
    [InlineData("prod/*", "prod/app", true)]
    [InlineData("prod/*", "prod/app/x", false)]
    [InlineData("prod/*", "prod", false)]
    [InlineData("prod/*", "prod/", true)]
    [InlineData("prod/**", "prod/app/x/y", true)]
    [InlineData("prod/**", "prod", false)]
    [InlineData("prod/**", "production/app", false)]
    [InlineData("**", "a/b/c", true)]
    [InlineData("**", "", true)]
    [InlineData("*", "a", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("*/app", "prod/app", true)]
    [InlineData("*/app", "prod/x/app", false)]
    [InlineData("**/app", "prod/x/app", true)]
    [InlineData("prod/*-api", "prod/pay-api", true)]
    [InlineData("prod/*-api", "prod/pay/x-api", false)]
    [InlineData("prod/a*b*c", "prod/aXbYc", true)]
    [InlineData("prod/a*b*c", "prod/aXcYb", false)]
    [InlineData("***", "a/b", true)]
    [InlineData("a**b", "a/x/b", true)]
    [InlineData("a*b", "a/b", false)]
    public void Matches_Globs_StarStaysInOneComponent_DoubleStarCrosses(string pattern, string repository, bool expected) =>
        Assert.Equal(expected, RepositoryPattern.Matches(pattern, repository));

    [Theory]
    [InlineData("**a**a**a**a**a**b")]
    [InlineData("*a*a*a*a*a*b")]
    [InlineData("**a*a**a*a**a*b")]
    public async Task Matches_AdversarialPattern_IsFast(string pattern)
    {
        // 90 characters of 'a' with no 'b': a backtracking matcher tries every split of the text per star. Run on
        // another thread so a slow matcher fails the test instead of hanging it.
        // The bound is on the matcher's own time, measured on its thread (a busy test run may start the task late).
        var text = new string('a', 90);
        var match = Task.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            return (Matched: RepositoryPattern.Matches(pattern, text), stopwatch.Elapsed);
        });

        Assert.True(await Task.WhenAny(match, Task.Delay(TimeSpan.FromSeconds(5))) == match, "still matching after 5 s");
        var (matched, elapsed) = await match;
        Assert.False(matched);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(100), $"took {elapsed}");
    }

    [Fact]
    public void Matches_AgreesWithReference_OnRandomPatterns()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 20_000; i++)
        {
            var pattern = RandomString(random, "ab/*", 8);
            var text = RandomString(random, "ab/", 8);
            Assert.True(
                Reference(pattern, text) == RepositoryPattern.Matches(pattern, text),
                $"seed {seed}: pattern '{pattern}' text '{text}'");
        }
    }

    private static string RandomString(Random random, string alphabet, int maxLength) =>
        new([.. Enumerable.Range(0, random.Next(maxLength + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    /// <summary>The glob semantics as a regular expression: <c>**</c> any text, <c>*</c> any text without '/'.</summary>
    private static bool Reference(string pattern, string text)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (pattern[i] == '*')
            {
                regex.Append("[^/]*");
            }
            else
            {
                regex.Append(System.Text.RegularExpressions.Regex.Escape(pattern[i].ToString()));
            }
        }

        return System.Text.RegularExpressions.Regex.IsMatch(text, regex.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.NonBacktracking);
    }
}
