namespace Dockyard.Control.Compose;

/// <summary>A top-level <c>networks:</c> entry by its <see cref="Key"/>; <see cref="Name"/> is the explicit <c>name:</c>.</summary>
public sealed record ComposeNetwork
{
    public required string Key { get; init; }

    public string? Name { get; init; }

    public bool External { get; init; }

    public string? Driver { get; init; }

    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();

    public bool Attachable { get; init; }

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? IpamDriver { get; init; }

    public IReadOnlyList<string> IpamSubnets { get; init; } = [];
}
