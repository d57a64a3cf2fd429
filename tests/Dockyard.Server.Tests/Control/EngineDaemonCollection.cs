using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>A private dockerd for the engine tests, which turn it into a one-node swarm (never shared with other tests).</summary>
[CollectionDefinition(Name)]
public sealed class EngineDaemonCollection : ICollectionFixture<DockerDaemonFixture>
{
    public const string Name = "engine daemon";
}
