using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Events;

/// <summary>A private dockerd for the event-consumer tests, which stop and start Dockyards around it (never shared with other tests).</summary>
[CollectionDefinition(Name)]
public sealed class EventsDaemonCollection : ICollectionFixture<DockerDaemonFixture>
{
    public const string Name = "events daemon";
}
