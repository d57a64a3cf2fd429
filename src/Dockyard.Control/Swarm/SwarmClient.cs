using Dockyard.Control.Engines;

namespace Dockyard.Control.Swarm;

/// <summary>
/// The swarm itself, through one manager engine: inspect (join tokens, version) and join-token rotation. A worker
/// answers 503, surfaced as <see cref="EngineErrorKind.NotManager"/>.
/// </summary>
public sealed class SwarmClient(EngineClient engine)
{
    /// <summary><c>GET /swarm</c>.</summary>
    public Task<SwarmInfo> InspectAsync(CancellationToken cancellationToken) =>
        engine.GetAsync("swarm", SwarmJsonContext.Default.SwarmInfo, cancellationToken);

    /// <summary>
    /// Replaces the <paramref name="role"/> join token and returns the swarm as it is afterwards. The engine requires
    /// the whole current spec back with the version it was read at, so the spec is round-tripped as JSON (fields this
    /// code does not model are kept). A concurrent change between read and update fails as
    /// <see cref="EngineErrorKind.Conflict"/>.
    /// </summary>
    public async Task<SwarmInfo> RotateJoinTokenAsync(SwarmJoinRole role, CancellationToken cancellationToken)
    {
        var current = await engine.GetObjectAsync("swarm", cancellationToken);
        var version = current.VersionIndex(engine.Name);
        var spec = current.DetachSpec(engine.Name);
        var path = EngineQuery.Path("swarm/update")
            .Add("version", version)
            .Add(role == SwarmJoinRole.Worker ? "rotateWorkerToken" : "rotateManagerToken", true)
            .ToString();
        await SwarmConflicts.TranslateAsync(engine.Name, () => engine.PostAsync(path, EngineJsonObjects.Content(spec), cancellationToken));
        return await InspectAsync(cancellationToken);
    }
}
