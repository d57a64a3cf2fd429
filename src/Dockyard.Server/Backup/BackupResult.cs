namespace Dockyard.Server.Backup;

/// <summary>A finished backup: its manifest, and what this run copied (the rest was already in the destination).</summary>
internal sealed record BackupResult(string Destination, BackupManifest Manifest, long BlobsCopied, long BytesCopied, long BlobsSkippedBeingDeleted);
