namespace Dockyard.Server.Trust.Signatures;

/// <summary><c>Dockyard:Trust:Signatures</c>: how signatures are read, verified and cached.</summary>
internal sealed record SignatureOptions
{
    public const string Section = "Dockyard:Trust:Signatures";

    /// <summary>
    /// How long a verdict is served from the cache at most. Pushes and deletes of signatures through this replica and
    /// every key change drop verdicts at once; this bounds how long a change made through another replica, or on a
    /// notary server, takes to show here.
    /// </summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many verdicts (repository, digest) the cache holds at most.</summary>
    public int CacheEntries { get; init; } = 10_000;

    /// <summary>Largest signature payload or bundle read; a bigger one is an invalid signature, never read whole.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    /// <summary>Largest signature manifest (or referrers index) read.</summary>
    public int MaxManifestBytes { get; init; } = 1024 * 1024;

    /// <summary>Signatures read per image at most (layers of the <c>.sig</c> manifest plus referrers); more are ignored.</summary>
    public int MaxSignatures { get; init; } = 64;

    /// <summary>
    /// Registered keys tried per signature at most. cosign signatures do not name their key, so each is tried against the
    /// keys whose algorithm fits the signature's shape, the repository's organization's keys first; one ECDSA P-256
    /// verification costs about 0.1 ms, so the worst case per cold signature is this many times that.
    /// </summary>
    public int MaxKeysTried { get; init; } = 256;

    /// <summary>Images verified at once when a tag list asks for many verdicts.</summary>
    public int ListConcurrency { get; init; } = 4;

    /// <summary>Tags examined at most by the "unsigned only" filter of a tag list (each needs a verdict).</summary>
    public int MaxFilteredTags { get; init; } = 2_000;
}
