namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// Asked before a stack follows a tag to a new digest (redeploy on push). Issue #18 (trust: signature policy) will
/// answer with the repository's signature policy; until then <see cref="AllowAllStackDeployGate"/> allows every digest.
/// </summary>
internal interface IStackDeployGate
{
    /// <summary>Null when <paramref name="digest"/> of <paramref name="repository"/> may be deployed to <paramref name="stack"/>; else why not.</summary>
    ValueTask<string?> RefusalAsync(string stack, string repository, string digest, CancellationToken cancellationToken);
}
