namespace Dockyard.Server.Control.Events;

/// <summary>
/// One container, service or node as the consumer last knew it: enough to tell after a gap whether it appeared, went,
/// or changed, and to describe it in a reconciled event. <see cref="Version"/> is null when an update was seen live
/// (events carry no version), so such an object is not reported as updated by the next reconcile.
/// </summary>
internal sealed record KnownObject(string Type, string Id, string? Name, string Status, long? Version, Dictionary<string, string> Attributes);
