using Dockyard.Registry;

namespace Dockyard.Server.Trust.Signing;

/// <summary>cosign's tag scheme: the signatures of manifest <c>sha256:&lt;hex&gt;</c> live under the tag <c>sha256-&lt;hex&gt;.sig</c> of the same repository.</summary>
internal static class SignatureTag
{
    public static string For(Digest digest) => $"{digest.AlgorithmName}-{digest.Hex}.sig";
}
