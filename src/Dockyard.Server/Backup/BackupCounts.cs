namespace Dockyard.Server.Backup;

/// <summary>What a backup's database holds: for the summary, the audit entry and a restore's sanity check.</summary>
internal sealed record BackupCounts(long Repositories, long Manifests, long Tags, long Blobs, long Bytes, long AuditEntries, long LastAuditId);
