namespace Dockyard.Server.Ui.Data;

/// <summary>What a tag row shows about its manifest: platforms and compressed content size (null when unknown).</summary>
internal sealed record ManifestSummary(IReadOnlyList<string> Platforms, long? ContentSize)
{
    public static readonly ManifestSummary Unknown = new([], null);

    public static ManifestSummary FromColumns(string? platforms, long? size) =>
        new(string.IsNullOrEmpty(platforms) ? [] : platforms.Split(','), size);
}
