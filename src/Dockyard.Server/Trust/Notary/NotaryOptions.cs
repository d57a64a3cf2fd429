namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// <c>Dockyard:Trust:Notary</c>: the notary server (Docker Content Trust) Dockyard reads signatures from. Nothing is
/// fetched unless the operator sets <see cref="Url"/>: Dockyard asks no server it was not told about.
/// </summary>
internal sealed record NotaryOptions
{
    public const string Section = "Dockyard:Trust:Notary";

    /// <summary>The notary server's https URL, e.g. <c>https://notary.example.com:4443</c> (what <c>DOCKER_CONTENT_TRUST_SERVER</c> says).</summary>
    public string? Url { get; init; }

    /// <summary>PEM file of the CA(s) the notary server's TLS certificate chains to; unset, the system's trusted roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>The registry host in trust collection names (<c>host[:port]/repo</c>); unset, the public URL's host[:port].</summary>
    public string? RegistryHost { get; init; }

    /// <summary>How long one metadata request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest metadata file read; a bigger one counts as a failure of the server.</summary>
    public int MaxMetadataBytes { get; init; } = 1024 * 1024;

    /// <summary>Delegation roles (<c>targets/releases</c>, <c>targets/&lt;signer&gt;</c>) read per repository at most.</summary>
    public int MaxDelegations { get; init; } = 16;

    /// <summary>How long a repository's trust data is reused before it is fetched again.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a notary server is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
