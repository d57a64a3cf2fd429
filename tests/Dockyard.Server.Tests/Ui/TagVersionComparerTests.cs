using Dockyard.Server.Ui.Data;

namespace Dockyard.Server.Tests.Ui;

public sealed class TagVersionComparerTests
{
    [Fact]
    public void Sorts_versions_numerically_prereleases_first_and_names_last()
    {
        string[] expected =
        [
            "0.9.0",
            "0.98.0",
            "0.101.0",
            "1",
            "1.0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0_build7",
            "v1.0.0",
            "1.0.1",
            "v1.2",
            "1.25-alpine",
            "1.25",
            "3.9.0rc1",
            "3.9.0",
            "10.0.0",
            "2024-01-05",
            "2024-02-01",
            "99999999999999999999999.0",
            "1.2.x",
            "Latest",
            "latest",
            "main",
            "sha256-0123.sig",
            "v",
            "vnext",
        ];

        // Several shuffles of the same set, each sorted, must all give the one expected order.
        for (var seed = 0; seed < 5; seed++)
        {
            var shuffled = expected.OrderBy(_ => Random.Shared.Next()).ToList();
            shuffled.Sort(TagVersionComparer.Instance);
            Assert.Equal(expected, shuffled);
        }
    }

    [Theory]
    [InlineData("0.98.0", "0.101.0")]
    [InlineData("v0.98.0", "0.101.0")]
    [InlineData("0.98.0", "V0.101.0")]
    [InlineData("1.0.0-rc.2", "1.0.0-rc.10")]
    [InlineData("1.0.0-rc.10", "1.0.0")]
    [InlineData("1.0.0-1", "1.0.0-alpha")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.9", "1.10")]
    [InlineData("007", "8")]
    [InlineData("999.0", "latest")]
    [InlineData("1.2.3", "1.2.3.4")]
    public void Orders_pairs(string lower, string higher)
    {
        Assert.True(TagVersionComparer.Instance.Compare(lower, higher) < 0, $"{lower} < {higher}");
        Assert.True(TagVersionComparer.Instance.Compare(higher, lower) > 0, $"{higher} > {lower}");
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("latest")]
    [InlineData("v2.0.0-rc.1")]
    public void A_tag_equals_itself(string tag) => Assert.Equal(0, TagVersionComparer.Instance.Compare(tag, new string(tag.AsSpan())));
}
