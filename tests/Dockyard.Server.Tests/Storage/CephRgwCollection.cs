using Dockyard.Tests.Shared;

namespace Dockyard.Server.Tests.Storage;

/// <summary>All registry-on-S3 tests share one private Ceph cluster (it takes ~15 s to start).</summary>
[CollectionDefinition(Name)]
public sealed class CephRgwCollection : ICollectionFixture<CephRgwFixture>
{
    public const string Name = "Ceph RGW (server)";
}
