namespace Dockyard.Server.Control.Events;

/// <summary>A page of events, newest first; <see cref="Next"/> is the <c>before</c> cursor of the next page (null: last page).</summary>
internal sealed record EventPage(IReadOnlyList<EventView> Items, string? Next);
