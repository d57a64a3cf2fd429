namespace Dockyard.Server.Data.Entities;

/// <summary>A tag and the manifest it points at.</summary>
internal sealed class TagEntity
{
    public required string Repository { get; set; }

    public required string Name { get; set; }

    public required string ManifestDigest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who last pushed the tag (principal name); null when unknown (open registry, reindexed, older data).</summary>
    public string? PushedBy { get; set; }

    /// <summary>When a manifest was last pulled through this tag, at one-minute resolution; null if never seen.</summary>
    public DateTimeOffset? LastPulledAt { get; set; }

    /// <summary>Manifest GETs through this tag (not by digest, not HEAD); flushed in batches by <c>PullCounter</c>.</summary>
    public long PullCount { get; set; }
}
