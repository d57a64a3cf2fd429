namespace Dockyard.Server.Storage;

/// <summary>Configuration section <c>Dockyard:Storage</c>.</summary>
public sealed record StorageOptions
{
    public const string Section = "Dockyard:Storage";

    public StorageDriverKind Driver { get; init; } = StorageDriverKind.Filesystem;

    /// <summary>Filesystem root; empty means <c>storage/</c> in the data directory.</summary>
    public string? Path { get; init; }
}
