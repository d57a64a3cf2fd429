namespace Dockyard.Control.Compose;

/// <summary>A top-level <c>volumes:</c> entry by its <see cref="Key"/>.</summary>
public sealed record ComposeVolume
{
    public required string Key { get; init; }

    public string? Name { get; init; }

    public bool External { get; init; }

    public string? Driver { get; init; }

    /// <summary>Null when not given (docker then sets no driver config).</summary>
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
