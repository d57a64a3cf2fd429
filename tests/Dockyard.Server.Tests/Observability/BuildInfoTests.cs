using Dockyard.Server.Observability;

namespace Dockyard.Server.Tests.Observability;

public sealed class BuildInfoTests
{
    [Theory]
    [InlineData("0.12.0+0123456789abcdef0123456789abcdef01234567", "0.12.0", "0123456789abcdef0123456789abcdef01234567", "0123456789ab")]
    [InlineData("0.12.0", "0.12.0", "unknown", "unknown")]
    [InlineData("0.12.0+", "0.12.0", "unknown", "unknown")]
    [InlineData(null, "unknown", "unknown", "unknown")]
    public void Parses_version_and_commit(string? informational, string version, string commit, string shortCommit)
    {
        var info = BuildInfo.Parse(informational);
        Assert.Equal(version, info.Version);
        Assert.Equal(commit, info.Commit);
        Assert.Equal(shortCommit, info.ShortCommit);
    }

    [Fact]
    public void The_running_build_carries_the_csproj_version_and_a_commit()
    {
        // The test project builds from the git checkout, so the SDK has stamped the commit.
        Assert.Equal("0.12.0", BuildInfo.Current.Version);
        Assert.Matches("^[0-9a-f]{40}$", BuildInfo.Current.Commit);
    }
}
