using Dockyard.Registry;
using Dockyard.Server.Control.Stacks.Follow;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// The signature policies' answer to "may this digest be deployed": asked by the stack service before a deploy,
/// update, rollback or redeploy touches the swarm, and by the follow runner before redeploying on push (which
/// reports a refusal). A digest of a repository no deploy policy covers — every image not hosted by Dockyard — passes.
/// </summary>
internal sealed class TrustStackDeployGate(TrustPolicyEvaluator evaluator) : IStackDeployGate
{
    public async ValueTask<string?> RefusalAsync(string stack, string repository, string digest, CancellationToken cancellationToken) =>
        RepositoryName.TryParse(repository, out var name) && Digest.TryParse(digest, out var parsed)
            ? (await evaluator.CheckDeployAsync(name, parsed, cancellationToken))?.Message
            : null;
}
