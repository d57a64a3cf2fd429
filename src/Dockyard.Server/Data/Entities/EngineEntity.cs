namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A Docker engine an administrator added through the API (engines from configuration are never stored). Holds
/// where the engine is reached and the paths of its TLS files — never the key material itself.
/// </summary>
internal sealed class EngineEntity
{
    public long Id { get; set; }

    /// <summary>Unique among engines (configured ones included); used in API paths.</summary>
    public required string Name { get; set; }

    /// <summary><c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
    public required string Endpoint { get; set; }

    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}
