using System.Runtime.CompilerServices;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Events;

/// <summary>
/// The engine's event stream. Events are yielded one at a time, in the engine's order, each as soon as its line has
/// arrived (the reader never waits for the next event to deliver the current one).
/// </summary>
public sealed class EventsClient(EngineClient engine)
{
    /// <summary>
    /// <c>GET events?since=&amp;until=&amp;filters=</c>. Ends when <see cref="EventQuery.Until"/> is reached, or when the
    /// caller's token is cancelled (the engine connection is closed).
    /// </summary>
    /// <exception cref="EngineApiException">The engine refused (bad filter, …) or the stream broke.</exception>
    public async IAsyncEnumerable<EngineEvent> StreamAsync(EventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "events" + Query(query));
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var wire in JsonLinesReader.ReadAsync(stream, EventsJsonContext.Default.EngineEventWire, engine.Name, cancellationToken))
        {
            yield return ToEvent(wire);
        }
    }

    internal static EngineEvent ToEvent(EngineEventWire wire)
    {
        var (action, detail) = EngineEvent.SplitAction(wire.Action ?? string.Empty);
        var timeNano = wire.TimeNano != 0 ? wire.TimeNano : wire.Time * 1_000_000_000;
        return new EngineEvent(
            wire.Type ?? string.Empty,
            action,
            detail,
            new EngineEventActor(wire.Actor?.Id ?? string.Empty, wire.Actor?.Attributes ?? []),
            wire.Scope ?? "local",
            EngineTimestamps.FromUnixNanoseconds(timeNano),
            timeNano);
    }

    internal static string Query(EventQuery query)
    {
        var filters = new EngineFilters();
        foreach (var (name, values) in query.Filters ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            foreach (var value in values)
            {
                filters.Add(name, value);
            }
        }

        return EngineQuery.Path(string.Empty)
            .Add("since", query.Since is { } since ? EngineTimestamps.ToQuery(since) : null)
            .Add("until", query.Until is { } until ? EngineTimestamps.ToQuery(until) : null)
            .Add(filters)
            .ToString();
    }
}
