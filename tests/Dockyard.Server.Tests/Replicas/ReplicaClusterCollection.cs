using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Tests.Shared;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// The scale-out end-to-end test: its own private dockerd (a client), PostgreSQL and Ceph RGW (the shared state of
/// the replicas). A collection of its own so the other end-to-end, PostgreSQL and S3 tests do not start what they do
/// not use.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReplicaClusterCollection : ICollectionFixture<DockerDaemonFixture>, ICollectionFixture<PostgresFixture>, ICollectionFixture<CephRgwFixture>
{
    public const string Name = "Replica cluster";
}
