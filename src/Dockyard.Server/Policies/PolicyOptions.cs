namespace Dockyard.Server.Policies;

/// <summary><c>Dockyard:Policies</c>: how the write path caches immutability rules and quotas.</summary>
internal sealed record PolicyOptions
{
    public const string Section = "Dockyard:Policies";

    /// <summary>
    /// How long a replica trusts its cached rules and quotas. A change made through this replica applies at once; one
    /// made through another replica applies here within this time.
    /// </summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(30);
}
