namespace Dockyard.Server.Policies;

/// <summary>A tag alone (its manifest keeps other tags), or a manifest with every tag still pointing at it.</summary>
internal enum RetentionDeletionKind
{
    Tag,
    Manifest,
}
