namespace Dockyard.Control.Compose;

/// <summary>A Compose application after merge and interpolation: the typed model the stack converter reads.</summary>
public sealed record ComposeProject
{
    /// <summary>Services in file order.</summary>
    public IReadOnlyList<ComposeService> Services { get; init; } = [];

    public IReadOnlyList<ComposeNetwork> Networks { get; init; } = [];

    public IReadOnlyList<ComposeVolume> Volumes { get; init; } = [];

    public IReadOnlyList<ComposeFileObject> Secrets { get; init; } = [];

    public IReadOnlyList<ComposeFileObject> Configs { get; init; } = [];
}
