namespace Dockyard.Server.Control.Events;

/// <summary>
/// The consumer's position on one engine: its objects as known at <see cref="TimeNano"/>. Written by the event writer
/// in the same transaction as the events queued before it, and only while <see cref="Holder"/> holds the lease.
/// </summary>
internal sealed record EventCheckpoint(string Engine, string Holder, long TimeNano, KnownObjects State);
