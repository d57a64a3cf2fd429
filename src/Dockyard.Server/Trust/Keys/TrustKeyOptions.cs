namespace Dockyard.Server.Trust.Keys;

/// <summary><c>Dockyard:Trust:Keys</c>: how verification caches the trusted keys.</summary>
internal sealed record TrustKeyOptions
{
    public const string Section = "Dockyard:Trust:Keys";

    /// <summary>
    /// How long a replica trusts its cached keys. A key added or revoked through this replica counts (or stops counting)
    /// at once; one changed through another replica within this time.
    /// </summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(5);
}
