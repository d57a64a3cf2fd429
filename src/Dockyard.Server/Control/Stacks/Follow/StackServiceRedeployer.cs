using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>The redeploy of <see cref="StackService"/>, always with pull (re-resolve the tags; update only what changed).</summary>
internal sealed class StackServiceRedeployer(StackService stacks) : IStackRedeployer
{
    public async Task<int?> RedeployAsync(Caller caller, string stack, StackRedeploy request, CancellationToken cancellationToken) =>
        (await stacks.RedeployAsync(
            caller,
            stack,
            new StackRedeployRequest { Pull = true, Services = request.Services, Note = request.Note, AuditAction = request.AuditAction },
            cancellationToken)).Revision;
}
