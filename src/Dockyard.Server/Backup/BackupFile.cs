namespace Dockyard.Server.Backup;

/// <summary>
/// A key or configuration file copied into the backup: its name there (under <c>keys/</c> or <c>config/</c>), the
/// path it was taken from, and whether that path was inside the data directory (a restore puts those back itself).
/// </summary>
internal sealed record BackupFile(string Name, string OriginalPath, bool InDataDirectory);
