namespace Dockyard.Registry;

/// <summary>The platform an index entry is built for.</summary>
public sealed record Platform
{
    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public string? Variant { get; init; }

    public string? OsVersion { get; init; }
}
