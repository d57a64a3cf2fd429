using Dockyard.Registry;
using Dockyard.Server.Access;

namespace Dockyard.Server.Trust.Policies;

/// <summary>Applies the signature policies of a repository's organization to one manifest digest.</summary>
internal sealed class TrustPolicyEvaluator
{
    /// <summary>Null when every deploy-enforced policy matching <paramref name="repository"/> is satisfied by <paramref name="digest"/>'s signatures.</summary>
    public ValueTask<TrustRefusal?> CheckDeployAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Null when no pull-enforced policy for <paramref name="principal"/>'s kind refuses <paramref name="digest"/>. Signature and policy artifacts are never refused.</summary>
    public ValueTask<TrustRefusal?> CheckPullAsync(RepositoryName repository, Digest digest, Principal? principal, CancellationToken cancellationToken) => throw new NotImplementedException();
}
