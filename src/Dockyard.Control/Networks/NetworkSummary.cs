namespace Dockyard.Control.Networks;

/// <summary>One network as listed.</summary>
public sealed record NetworkSummary
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Driver { get; init; } = string.Empty;

    /// <summary>local, global or swarm.</summary>
    public string Scope { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
