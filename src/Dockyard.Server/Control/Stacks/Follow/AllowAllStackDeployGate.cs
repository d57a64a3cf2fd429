namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>Every digest may be followed: the placeholder until issue #18's signature policy exists.</summary>
internal sealed class AllowAllStackDeployGate : IStackDeployGate
{
    public ValueTask<string?> RefusalAsync(string stack, string repository, string digest, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
