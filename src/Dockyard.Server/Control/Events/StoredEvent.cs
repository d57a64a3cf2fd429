namespace Dockyard.Server.Control.Events;

/// <summary>
/// An engine event as stored in <c>engine_events</c> (and as the live feed carries it). <see cref="Collection"/> is
/// who may see it (null: administrators only); <see cref="Reconciled"/> marks events inferred after a gap.
/// </summary>
internal sealed record StoredEvent(
    long Id,
    long TimeNano,
    string Engine,
    string? NodeId,
    string Type,
    string Action,
    string? Detail,
    string ActorId,
    string? ActorName,
    IReadOnlyDictionary<string, string> Attributes,
    string Scope,
    string? Collection,
    string? UserName,
    bool Reconciled,
    string DedupKey);
