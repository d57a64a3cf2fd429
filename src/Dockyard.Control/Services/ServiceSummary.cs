namespace Dockyard.Control.Services;

/// <summary>One Swarm service as listed: its name, labels and the image its tasks run.</summary>
public sealed record ServiceSummary
{
    public required string Id { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The spec's image, as the CLI pins it with <c>--with-registry-auth</c>: <c>repo:tag@sha256:…</c>.</summary>
    public string Image { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
