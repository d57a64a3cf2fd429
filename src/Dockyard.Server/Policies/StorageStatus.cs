namespace Dockyard.Server.Policies;

/// <summary>An organization's quota (null: none) and the bytes it uses (distinct blobs and manifests).</summary>
internal sealed record StorageStatus(long? QuotaBytes, long UsedBytes);
