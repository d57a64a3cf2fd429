using Dockyard.Control.Engines;

namespace Dockyard.Control.SystemInfo;

/// <summary>
/// An engine's system endpoints: <c>GET /info</c> (what it runs and whether it is a Swarm node) and
/// <c>GET /version</c>. Failures surface as <see cref="EngineApiException"/> from the channel.
/// </summary>
public sealed class SystemClient(EngineClient engine)
{
    /// <summary><c>GET /info</c>: host, counts and the engine's Swarm membership.</summary>
    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        engine.GetAsync("info", SystemJsonContext.Default.EngineInfo, cancellationToken);

    /// <summary><c>GET /version</c>: engine version and the API versions it speaks.</summary>
    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        engine.GetAsync("version", SystemJsonContext.Default.EngineVersion, cancellationToken);
}
