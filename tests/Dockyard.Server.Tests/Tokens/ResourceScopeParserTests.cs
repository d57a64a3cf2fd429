using Dockyard.Server.Tokens;

namespace Dockyard.Server.Tests.Tokens;

public sealed class ResourceScopeParserTests
{
    [Theory]
    [InlineData("repository:library/busybox:pull", "repository", "library/busybox", "pull")]
    [InlineData("repository:a:pull,push", "repository", "a", "pull,push")]
    [InlineData("repository:prod/team/app:delete", "repository", "prod/team/app", "delete")]
    [InlineData("repository:a:*", "repository", "a", "*")]
    [InlineData("repository:a:pull,pull", "repository", "a", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    // Notary GUNs: a registry host in front (the issuer grants them only for this registry's own hosts).
    [InlineData("repository:host:5000/a:pull", "repository", "host:5000/a", "pull")]
    [InlineData("repository:[::1]:5000/team/app:push,pull", "repository", "[::1]:5000/team/app", "push,pull")]
    public void TryParse_ValidScope_Parses(string value, string type, string name, string actions)
    {
        Assert.True(ResourceScopeParser.TryParse(value, out var scope));
        Assert.Equal(type, scope.Type);
        Assert.Equal(name, scope.Name);
        Assert.Equal(actions, string.Join(',', scope.Actions));
    }

    [Theory]
    [InlineData("")]
    [InlineData("repository")]
    [InlineData("repository:a")]
    [InlineData("repository::pull")]
    [InlineData("repository:a:")]
    [InlineData("repository:a:pull,")]
    [InlineData("repository:a:pull,,push")]
    [InlineData("repository:a:read")]
    [InlineData("repository:a:PULL")]
    [InlineData("repository:A/B:pull")]
    [InlineData("repository:a//b:pull")]
    [InlineData("repository:-a:pull")]
    [InlineData("repository:host:5000/A:pull")]
    [InlineData("repository:host:5000/../a:pull")]
    [InlineData("repository:host:99999/a:pull")]
    [InlineData("repository:[::1/a:pull")]
    [InlineData("repository(plugin):a:pull")]
    [InlineData("Repository:a:pull")]
    [InlineData("registry:catalog:pull")]
    [InlineData("registry:other:*")]
    [InlineData("registry:catalog:*,pull")]
    [InlineData("node:a:pull")]
    [InlineData(":a:pull")]
    [InlineData("repository:a:pull push")]
    public void TryParse_MalformedOrUnknown_Rejects(string value) =>
        Assert.False(ResourceScopeParser.TryParse(value, out _));

    [Fact]
    public void TryParseAll_SpaceSeparatedAndRepeated_ParsesEach()
    {
        Assert.True(ResourceScopeParser.TryParseAll(["repository:a:pull repository:b:push", "registry:catalog:*"], out var scopes));
        Assert.Equal(["repository:a:pull", "repository:b:push", "registry:catalog:*"], scopes.Select(s => s.ToString()));
    }

    [Fact]
    public void TryParseAll_OneBadScope_RejectsAll() =>
        Assert.False(ResourceScopeParser.TryParseAll(["repository:a:pull", "repository:b:fly"], out _));

    [Fact]
    public void TryParseAll_TooMany_Rejects() =>
        Assert.False(ResourceScopeParser.TryParseAll(Enumerable.Range(0, ResourceScopeParser.MaxScopes + 1).Select(i => $"repository:r{i}:pull"), out _));
}
