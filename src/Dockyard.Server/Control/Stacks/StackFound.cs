using Dockyard.Control.Engines;
using Dockyard.Control.Services;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Control.Stacks;

/// <summary>A stack as found: Dockyard's record (null when not managed), its services, the collections deciding access, and the manager read (null when none was reachable).</summary>
internal sealed record StackFound(
    string Name,
    StackEntity? Record,
    IReadOnlyList<ServiceSummary> Services,
    IReadOnlyList<CollectionPath> Collections,
    EngineClient? Manager);
