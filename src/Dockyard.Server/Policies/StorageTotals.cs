namespace Dockyard.Server.Policies;

/// <summary>What the storage holds in all: distinct blobs (layers, configs, manifests) and their bytes.</summary>
internal sealed record StorageTotals(int Blobs, long Bytes);
