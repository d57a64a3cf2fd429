using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// Runs a pull-and-redeploy of a stack as <c>caller</c> (re-resolve the tags from Dockyard's index, update the
/// services whose digest changed, record a revision), authorized and audited by the stack service; the new revision's
/// number, or null when nothing changed. A seam so the
/// worker's queueing and failure handling are tested without a swarm.
/// </summary>
internal interface IStackRedeployer
{
    Task<int?> RedeployAsync(Caller caller, string stack, StackRedeploy request, CancellationToken cancellationToken);
}
