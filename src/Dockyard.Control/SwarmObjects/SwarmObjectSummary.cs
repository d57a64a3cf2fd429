namespace Dockyard.Control.SwarmObjects;

/// <summary>One secret or config as listed (never its data: the engine does not return a secret's data).</summary>
public sealed record SwarmObjectSummary
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public long Version { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset? CreatedAt { get; init; }
}
