using Dockyard.Control.Engines;

namespace Dockyard.Control.Tests.Engines;

public sealed class EngineQueryTests
{
    [Fact]
    public void Path_EscapesIdSoItCannotChangeThePathShape()
    {
        Assert.Equal("containers/..%2F..%2Fimages%3Fx/json", EngineQuery.Path("containers", "../../images?x", "/json").ToString());
        Assert.Equal("images/127.0.0.1%3A5000%2Fteam%2Fapp%3A1.0", EngineQuery.Path("images", "127.0.0.1:5000/team/app:1.0").ToString());
    }

    [Fact]
    public void Add_EscapesValuesSkipsNullsAndJoinsWithAmpersands()
    {
        var query = EngineQuery.Path("images/create")
            .Add("fromImage", "127.0.0.1:5000/a b&c")
            .Add("tag", (string?)null)
            .Add("version", 42)
            .AddIfTrue("force", false)
            .AddIfTrue("all", true);

        Assert.Equal("images/create?fromImage=127.0.0.1%3A5000%2Fa%20b%26c&version=42&all=true", query.ToString());
    }

    [Fact]
    public void Filters_SerializeAsJsonMapOfArraysAndAreEscaped()
    {
        var filters = new EngineFilters()
            .Add("status", "running")
            .Add("label", "com.example=a\"b")
            .Add("label", "tier")
            .Add("label", "tier");

        Assert.Equal("""{"label":["com.example=a\u0022b","tier"],"status":["running"]}""", filters.ToJson());
        var path = EngineQuery.Path("containers/json").Add(filters).ToString();
        Assert.StartsWith("containers/json?filters=%7B%22label%22%3A%5B", path, StringComparison.Ordinal);
        Assert.Equal(filters.ToJson(), Uri.UnescapeDataString(path["containers/json?filters=".Length..]));
    }

    [Fact]
    public void EmptyFilters_AreLeftOut()
    {
        Assert.Equal("nodes", EngineQuery.Path("nodes").Add(new EngineFilters()).Add((EngineFilters?)null).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Path_RefusesBlankId(string id)
    {
        Assert.ThrowsAny<ArgumentException>(() => EngineQuery.Path("containers", id));
    }
}
