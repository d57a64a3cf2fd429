using Dockyard.Registry.Storage.S3;

namespace Dockyard.Server.Storage;

/// <summary>Configuration section <c>Dockyard:Storage</c>.</summary>
public sealed record StorageOptions
{
    public const string Section = "Dockyard:Storage";

    public StorageDriverKind Driver { get; init; } = StorageDriverKind.Filesystem;

    /// <summary>Filesystem root; empty means <c>storage/</c> in the data directory.</summary>
    public string? Path { get; init; }

    /// <summary>The bucket and credentials when <see cref="Driver"/> is <see cref="StorageDriverKind.S3"/> (<c>Dockyard:Storage:S3</c>).</summary>
    public S3StorageOptions S3 { get; init; } = new();
}
