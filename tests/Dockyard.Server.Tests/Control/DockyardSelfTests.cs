using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Tests.Control;

/// <summary><see cref="DockyardSelf"/>: which container Dockyard runs in, from /proc/self/cgroup or the host name.</summary>
public sealed class DockyardSelfTests
{
    private const string Id = "3f4c9a1be27d5c6b8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f";

    [Theory]
    [InlineData("12:memory:/docker/" + Id + "\n11:cpu:/docker/" + Id + "\n", "web-1", Id, null)]
    [InlineData("0::/system.slice/docker-" + Id + ".scope\n", "web-1", Id, null)]
    [InlineData("0::/\n", "3f4c9a1be27d", null, "3f4c9a1be27d")]
    [InlineData("0::/user.slice/user-1000.slice/session-2.scope\n", "build-host", null, null)]
    [InlineData(null, "3f4c9a1be27d", null, "3f4c9a1be27d")]
    public void Detects_the_own_container_from_the_cgroup_or_an_id_shaped_host_name(string? cgroup, string host, string? id, string? prefix) =>
        Assert.Equal((id, prefix), DockyardSelf.Detect(cgroup, host));
}
