using System.Net;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Containers;

/// <summary>
/// Containers on ONE engine (a manager cannot act on another node's containers). Lifecycle calls return true when
/// they changed something and false when the container already was in that state (the engine's 304).
/// Unknown ids are <see cref="EngineErrorKind.NotFound"/>; e.g. killing a stopped container is
/// <see cref="EngineErrorKind.Conflict"/>.
/// </summary>
public sealed class ContainerClient(EngineClient engine)
{
    /// <summary>The engine waits 10 s by default before it kills a container that ignores SIGTERM.</summary>
    private static readonly TimeSpan DefaultStopWait = TimeSpan.FromSeconds(10);

    /// <summary><c>GET /containers/json</c>.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions? options, CancellationToken cancellationToken)
    {
        options ??= new ContainerListOptions();
        var path = EngineQuery.Path("containers/json").AddIfTrue("all", options.All).Add(options.Filters).ToString();
        return await engine.GetAsync(path, ContainerJsonContext.Default.ListContainerSummary, cancellationToken);
    }

    /// <summary><c>GET /containers/{id}/json</c>; <paramref name="id"/> may be an id, id prefix or name.</summary>
    public Task<ContainerDetails> InspectAsync(string id, CancellationToken cancellationToken) =>
        engine.GetAsync(EngineQuery.Path("containers", id, "/json").ToString(), ContainerJsonContext.Default.ContainerDetails, cancellationToken);

    /// <summary>
    /// <c>GET /containers/{id}/json</c> as the engine sent it (what <c>docker inspect</c> prints), for views that show
    /// the whole document; bounded like every plain call.
    /// </summary>
    public async Task<string> InspectJsonAsync(string id, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EngineClient.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, EngineQuery.Path("containers", id, "/json").ToString());
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    public Task<bool> StartAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(EngineQuery.Path("containers", id, "/start"), TimeSpan.Zero, cancellationToken);

    /// <summary>Stops the container, waiting <paramref name="timeout"/> (engine default when null) before SIGKILL.</summary>
    public Task<bool> StopAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ActAsync(WithTimeout(EngineQuery.Path("containers", id, "/stop"), timeout), timeout ?? DefaultStopWait, cancellationToken);

    /// <summary>Restarts the container, waiting <paramref name="timeout"/> for it to stop first.</summary>
    public Task<bool> RestartAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ActAsync(WithTimeout(EngineQuery.Path("containers", id, "/restart"), timeout), timeout ?? DefaultStopWait, cancellationToken);

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>SIGKILL</c>, <c>SIGHUP</c>, <c>9</c>); null means SIGKILL.</summary>
    public Task<bool> KillAsync(string id, string? signal, CancellationToken cancellationToken) =>
        ActAsync(EngineQuery.Path("containers", id, "/kill").Add("signal", signal), TimeSpan.Zero, cancellationToken);

    public Task<bool> PauseAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(EngineQuery.Path("containers", id, "/pause"), TimeSpan.Zero, cancellationToken);

    public Task<bool> UnpauseAsync(string id, CancellationToken cancellationToken) =>
        ActAsync(EngineQuery.Path("containers", id, "/unpause"), TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// <c>DELETE /containers/{id}</c>. Without <paramref name="force"/> a running container is a
    /// <see cref="EngineErrorKind.Conflict"/>; <paramref name="volumes"/> also removes its anonymous volumes.
    /// </summary>
    public Task RemoveAsync(string id, bool force, bool volumes, CancellationToken cancellationToken) =>
        engine.DeleteAsync(EngineQuery.Path("containers", id).AddIfTrue("force", force).AddIfTrue("v", volumes).ToString(), cancellationToken);

    private static EngineQuery WithTimeout(EngineQuery query, TimeSpan? timeout)
    {
        if (timeout is not { } wait)
        {
            return query;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(timeout));
        return query.Add("t", (long)Math.Ceiling(wait.TotalSeconds));
    }

    /// <summary>
    /// POSTs a lifecycle action. Stop and restart block inside the engine for up to the grace period, so the
    /// request is bounded by that plus <see cref="EngineClient.RequestTimeout"/>, not by the plain-call bound alone.
    /// </summary>
    private async Task<bool> ActAsync(EngineQuery query, TimeSpan engineWait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EngineClient.RequestTimeout + engineWait);
        using var request = new HttpRequestMessage(HttpMethod.Post, query.ToString());
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        return response.StatusCode != HttpStatusCode.NotModified;
    }
}
