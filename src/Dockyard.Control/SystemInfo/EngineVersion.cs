namespace Dockyard.Control.SystemInfo;

/// <summary>The fields of <c>GET /version</c> Dockyard uses.</summary>
public sealed record EngineVersion
{
    /// <summary>Engine release, e.g. <c>20.10.24+dfsg1</c>.</summary>
    public string? Version { get; init; }

    /// <summary>Newest API version the engine speaks (Dockyard pins <c>1.41</c>).</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Oldest API version the engine accepts (dockerd's <c>MinAPIVersion</c>).</summary>
    public string? MinApiVersion { get; init; }

    public string? Os { get; init; }

    public string? Arch { get; init; }

    public string? KernelVersion { get; init; }
}
