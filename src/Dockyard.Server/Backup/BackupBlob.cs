namespace Dockyard.Server.Backup;

/// <summary>One blob (layer, config or manifest body) the backed-up database references: its digest and size.</summary>
internal sealed record BackupBlob(string Digest, long Size);
