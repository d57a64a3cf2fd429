using Dockyard.Control.Engines;
using Dockyard.Control.Stacks;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// A deploy checked and ready to apply: everything validated and read from the swarm, nothing changed yet. Holds the
/// registry auth and the content's secrets in memory only.
/// </summary>
internal sealed record StackDeployment(
    string Name,
    StackEntity? Existing,
    CollectionPath Collection,
    StackMetadata Metadata,
    StackRevisionContent Content,
    string? Note,
    StackPlan Plan,
    StackSwarmState State,
    StackImageResolution Images,
    IReadOnlySet<string> Force,
    IReadOnlyList<StackFollowEntity> Follows,
    EngineClient Manager,
    IReadOnlyList<StackWarning> Warnings);
