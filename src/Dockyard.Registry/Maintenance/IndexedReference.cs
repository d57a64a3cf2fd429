namespace Dockyard.Registry.Maintenance;

/// <summary>One reference of a manifest and what its repository holds under that digest.</summary>
public sealed record IndexedReference(Digest Digest, IndexedReferenceKind Kind);
