using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>TEMPORARY until h/core lands.</summary>
internal sealed class StackServiceRedeployer : IStackRedeployer
{
    public Task RedeployAsync(Caller caller, string stack, StackRedeploy request, CancellationToken cancellationToken) => throw new NotSupportedException("h/core");
}
