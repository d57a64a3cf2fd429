namespace Dockyard.Control.Compose;

/// <summary>
/// A top-level <c>secrets:</c> or <c>configs:</c> entry: external (must exist) or from <see cref="File"/>, whose
/// <see cref="Content"/> the loader took from the files given to it.
/// </summary>
public sealed record ComposeFileObject
{
    public required string Key { get; init; }

    public string? Name { get; init; }

    public bool External { get; init; }

    public string? File { get; init; }

    public ReadOnlyMemory<byte> Content { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
