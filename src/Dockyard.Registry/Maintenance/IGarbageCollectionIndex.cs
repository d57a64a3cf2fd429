namespace Dockyard.Registry.Maintenance;

/// <summary>
/// What <see cref="GarbageCollector"/> asks of the metadata index, one role per phase: <see cref="IManifestSweepIndex"/>,
/// <see cref="ILinkSweepIndex"/>, <see cref="IBlobSweepIndex"/> (mark, then sweep) and, for a dry run,
/// <see cref="IDryRunIndex"/>. Liveness is decided by queries over the index's references, never by walking storage.
/// Every delete is conditional and transactional: it re-checks, under the blob record's lock, that the row is still
/// unreferenced and older than the grace, and does nothing otherwise.
/// </summary>
public interface IGarbageCollectionIndex : IManifestSweepIndex, ILinkSweepIndex, IBlobSweepIndex, IDryRunIndex;
