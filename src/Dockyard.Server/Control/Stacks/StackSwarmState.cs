using Dockyard.Control.Services;
using Dockyard.Control.Stacks;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// What the swarm holds for a stack about to be deployed, read before anything is changed: the stack's services,
/// the networks, secrets and configs to create, and the ids of the secrets and configs that already exist.
/// </summary>
internal sealed record StackSwarmState(
    IReadOnlyList<ServiceSummary> Services,
    IReadOnlyList<StackNetworkPlan> NetworksToCreate,
    IReadOnlyList<StackObjectPlan> SecretsToCreate,
    IReadOnlyList<StackObjectPlan> ConfigsToCreate,
    IReadOnlyDictionary<string, string> SecretIds,
    IReadOnlyDictionary<string, string> ConfigIds,
    IReadOnlyList<StackWarning> Warnings);
