using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Tests.Control;

public sealed class ControlLabelsTests
{
    [Theory]
    [InlineData(null, null, "/")]
    [InlineData("/teams/a", null, "/teams/a")]
    [InlineData("/teams/a", "/Shared/b", "/teams/a")]
    [InlineData(null, "/Shared/b", "/Shared/b")]
    [InlineData("not a path", "/Shared/b", "/Shared/b")]
    [InlineData("../etc", null, "/")]
    [InlineData("/a//b", null, "/")]
    public void Collection_label_first_then_UCPs_else_the_root(string? own, string? ucp, string expected)
    {
        var labels = new Dictionary<string, string>();
        if (own is not null)
        {
            labels[ControlLabels.Collection] = own;
        }

        if (ucp is not null)
        {
            labels[ControlLabels.UcpCollection] = ucp;
        }

        Assert.Equal(expected, ControlLabels.CollectionOf(labels).Value);
    }

    [Fact]
    public void System_resources_are_marked_or_under_System()
    {
        Assert.True(ControlLabels.IsSystem(new Dictionary<string, string> { [ControlLabels.System] = "true" }));
        Assert.True(ControlLabels.IsSystem(new Dictionary<string, string> { [ControlLabels.Collection] = "/System/ingress" }));
        Assert.False(ControlLabels.IsSystem(new Dictionary<string, string> { [ControlLabels.Collection] = "/Systems" }));
        Assert.False(ControlLabels.IsSystem(null));
        Assert.Equal("/Shared/Private/alice", ControlLabels.DefaultFor("alice")?.Value);
        Assert.Null(ControlLabels.DefaultFor("a/b"));
    }
}
