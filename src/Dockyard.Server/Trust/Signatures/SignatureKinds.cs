namespace Dockyard.Server.Trust.Signatures;

/// <summary>The <see cref="SignatureVerdict.Kind"/> values.</summary>
internal static class SignatureKinds
{
    /// <summary>A layer of cosign's <c>sha256-&lt;hex&gt;.sig</c> manifest (cosign 2, skopeo, podman, Dockyard's own signing).</summary>
    public const string Cosign = "cosign";

    /// <summary>A cosign simple-signing signature attached as an OCI 1.1 referrer (<c>--registry-referrers-mode=oci-1-1</c>).</summary>
    public const string Referrer = "referrer";

    /// <summary>A sigstore bundle attached as an OCI 1.1 referrer (cosign 3's default).</summary>
    public const string Bundle = "bundle";

    /// <summary>Docker Content Trust (a notary server's TUF targets).</summary>
    public const string Notary = "notary";
}
