using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The control-plane tests against one two-engine swarm (<see cref="SwarmFixture"/>), started once, and one headless
/// Chromium (<see cref="Ui.UiBrowserFixture"/>) for the control-plane pages; a test class takes either or both.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SwarmCollection : ICollectionFixture<SwarmFixture>, ICollectionFixture<Ui.UiBrowserFixture>
{
    public const string Name = "Swarm";
}
