using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>The control plane's engine streams (logs, stats, events, exec) against their own private dockerd.</summary>
[CollectionDefinition(Name)]
public sealed class ControlStreamsCollection : ICollectionFixture<DockerDaemonFixture>
{
    public const string Name = "ControlStreams";
}
