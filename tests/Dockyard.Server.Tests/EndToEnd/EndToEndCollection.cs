using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>Real clients (docker, skopeo) against one Dockyard process, with one private dockerd.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<DockerDaemonFixture>, ICollectionFixture<DockyardProcessFixture>
{
    public const string Name = "EndToEnd";
}
