namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// Asked before a stack follows a tag to a new digest (redeploy on push), and by <see cref="StackService"/> for every
/// Dockyard image before a deploy, update, rollback or redeploy touches the swarm. The signature policies answer
/// (<c>Trust/Policies/TrustStackDeployGate</c>); <see cref="AllowAllStackDeployGate"/> is the default without them.
/// </summary>
internal interface IStackDeployGate
{
    /// <summary>Null when <paramref name="digest"/> of <paramref name="repository"/> may be deployed to <paramref name="stack"/>; else why not.</summary>
    ValueTask<string?> RefusalAsync(string stack, string repository, string digest, CancellationToken cancellationToken);
}
