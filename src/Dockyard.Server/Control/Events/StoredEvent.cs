namespace Dockyard.Server.Control.Events;

/// <summary>
/// An engine event as stored in <c>engine_events</c> (and as the live feed carries it). <see cref="Collection"/> is
/// who may see it (null: administrators only); <see cref="Reconciled"/> marks events inferred after a gap;
/// <see cref="Stack"/> is the stack of the actor when it was known (<see cref="EventRecords.StackOf"/>).
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
    string DedupKey)
{
    /// <summary>The actor's stack (label <c>com.docker.stack.namespace</c>); null when none or not known.</summary>
    public string? Stack { get; init; }
}
