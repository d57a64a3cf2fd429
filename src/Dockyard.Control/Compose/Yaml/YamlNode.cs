namespace Dockyard.Control.Compose.Yaml;

/// <summary>
/// A node of a parsed Compose file with where it starts (1-based line and column). Aliases share nodes, so
/// <see cref="Size"/> counts a subtree as if every alias were expanded: the loader's bound against alias bombs.
/// </summary>
internal abstract record YamlNode(string File, int Line, int Column)
{
    public abstract long Size { get; }

    /// <summary>What the node is, for "a mapping expected, not a sequence" messages.</summary>
    public abstract string Kind { get; }
}
