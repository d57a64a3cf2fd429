using Dockyard.Server.Access.Collections;

namespace Dockyard.Server.Tests.Access.Collections;

public sealed class CollectionPathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/orgs")]
    [InlineData("/orgs/acme/payments")]
    [InlineData("/Shared/Private/alice")]
    [InlineData("/a.b/c-d/e_f")]
    public void TryParse_ValidPaths_Accepted(string value)
    {
        Assert.True(CollectionPath.TryParse(value, out var path));
        Assert.Equal(value, path.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orgs/acme")]
    [InlineData("/orgs/")]
    [InlineData("//orgs")]
    [InlineData("/orgs//acme")]
    [InlineData("/orgs/../system")]
    [InlineData("/orgs/./acme")]
    [InlineData("/orgs/-acme")]
    [InlineData("/orgs/ac me")]
    [InlineData(null)]
    public void TryParse_InvalidPaths_Refused(string? value) => Assert.False(CollectionPath.TryParse(value, out _));

    [Fact]
    public void TryParse_ComponentLongerThan64_Refused()
    {
        Assert.True(CollectionPath.TryParse("/" + new string('a', 64), out _));
        Assert.False(CollectionPath.TryParse("/" + new string('a', 65), out _));
    }

    [Fact]
    public void SelfAndAncestors_WalksUpToTheRoot()
    {
        var path = CollectionPath.Parse("/orgs/acme/payments");

        Assert.Equal(["/orgs/acme/payments", "/orgs/acme", "/orgs", "/"], path.SelfAndAncestors().Select(p => p.Value));
        Assert.Null(CollectionPath.Root.Parent);
    }

    [Theory]
    [InlineData("/orgs/acme/payments", "/orgs/acme/payments", true)]
    [InlineData("/orgs/acme/payments", "/orgs/acme", true)]
    [InlineData("/orgs/acme/payments", "/", true)]
    [InlineData("/orgs/acme", "/orgs/acme/payments", false)]
    [InlineData("/orgs/acme-2", "/orgs/acme", false)]
    [InlineData("/orgs/acmex/app", "/orgs/acme", false)]
    [InlineData("/orgs/other", "/orgs/acme", false)]
    [InlineData("/", "/orgs", false)]
    public void IsWithin_OnlyDownTheTree(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, CollectionPath.Parse(path).IsWithin(CollectionPath.Parse(ancestor)));
}
