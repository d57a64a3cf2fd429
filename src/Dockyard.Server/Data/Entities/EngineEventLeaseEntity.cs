namespace Dockyard.Server.Data.Entities;

/// <summary>
/// Who consumes an engine's event stream (<c>engine_event_leases</c>): <see cref="Holder"/> until
/// <see cref="ExpiresAt"/>, renewed while it reads; another replica takes over once it expires. The row also keeps
/// the consumer's checkpoint: the engine's objects as last known (<see cref="State"/>, JSON) at
/// <see cref="StateTimeNano"/>, written in the same transaction as the events before it, so a new consumer replays
/// from there and reconciles against that state.
/// </summary>
internal sealed class EngineEventLeaseEntity
{
    public required string Engine { get; set; }

    public required string Holder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public long StateTimeNano { get; set; }

    public string? State { get; set; }
}
