namespace Dockyard.Control.Compose.Yaml;

/// <summary>A mapping with its entries in file order (keys are unique).</summary>
internal sealed record YamlMap(string File, int Line, int Column, IReadOnlyList<YamlEntry> Entries, long SubtreeSize)
    : YamlNode(File, Line, Column)
{
    public override long Size => SubtreeSize;

    public override string Kind => "a mapping";

    public YamlNode? Get(string key) => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;

    /// <summary>The same mapping with other entries (a merge or an interpolation result).</summary>
    public YamlMap With(IReadOnlyList<YamlEntry> entries) =>
        this with { Entries = entries, SubtreeSize = 1 + entries.Sum(e => 1 + e.Value.Size) };
}
