namespace Dockyard.Registry.Maintenance;

/// <summary>A digest whose bytes the index promises, the size it records, and its blob record's state.</summary>
public sealed record IndexedBlob(Digest Digest, long Size, bool HasRecord, bool MarkedForDeletion);
