namespace Dockyard.Server.Control.Events;

/// <summary>One item of the live feed: an event, or (when <see cref="Event"/> is null) a gap — events were dropped because the subscriber fell behind.</summary>
internal sealed record EventFeedItem(StoredEvent? Event)
{
    public static EventFeedItem Gap { get; } = new((StoredEvent?)null);

    public bool IsGap => Event is null;
}
