using System.Runtime.CompilerServices;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Stats;

/// <summary>Container resource statistics from one engine.</summary>
public sealed class StatsClient(EngineClient engine)
{
    /// <summary>
    /// <c>GET containers/{id}/stats?stream=1</c>: one sample per second until the container stops (the stream ends) or
    /// the caller's token is cancelled (the engine connection is closed).
    /// </summary>
    /// <exception cref="EngineApiException">The engine refused (no such container, …) or the stream broke.</exception>
    public async IAsyncEnumerable<StatsSample> StreamAsync(string containerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"containers/{Uri.EscapeDataString(containerId)}/stats?stream=1");
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var document in JsonLinesReader.ReadAsync(stream, StatsJsonContext.Default.StatsDocument, engine.Name, cancellationToken))
        {
            yield return StatsCalculator.Calculate(document);
        }
    }

    /// <summary>
    /// <c>GET containers/{id}/stats?stream=0&amp;one-shot=1</c>: one sample at once. It has no earlier sample, so
    /// <see cref="StatsSample.CpuPercent"/> is null; use <see cref="StreamAsync"/> for CPU.
    /// </summary>
    public async Task<StatsSample> GetOnceAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var document = await engine.GetAsync(
            $"containers/{Uri.EscapeDataString(containerId)}/stats?stream=0&one-shot=1", StatsJsonContext.Default.StatsDocument, cancellationToken);
        return StatsCalculator.Calculate(document);
    }
}
