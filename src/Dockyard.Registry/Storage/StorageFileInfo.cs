namespace Dockyard.Registry.Storage;

/// <summary>What a driver knows about a stored path.</summary>
public sealed record StorageFileInfo(string Path, long Size, DateTimeOffset ModifiedAt, bool IsDirectory);
