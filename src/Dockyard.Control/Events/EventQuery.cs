namespace Dockyard.Control.Events;

/// <summary>
/// What to read from <c>GET events</c>. Without <see cref="Until"/> the stream stays open until the caller's token is
/// cancelled. The engine keeps only its last 256 events, so a replay from <see cref="Since"/> must be reconciled with a
/// full listing.
/// </summary>
public sealed record EventQuery
{
    /// <summary>Replay events from this time (inclusive) before the live ones.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Stop at this time (the stream ends).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// The engine's filters: <c>type</c>, <c>event</c>, <c>label</c> (<c>k=v</c>), <c>container</c>, <c>image</c>,
    /// <c>service</c>, <c>node</c>, <c>scope</c>, …, each with the values any of which may match.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters { get; init; }
}
