namespace Dockyard.Control.Compose.Yaml;

/// <summary>A sequence.</summary>
internal sealed record YamlSequence(string File, int Line, int Column, IReadOnlyList<YamlNode> Items, long SubtreeSize)
    : YamlNode(File, Line, Column)
{
    public override long Size => SubtreeSize;

    public override string Kind => "a sequence";
}
