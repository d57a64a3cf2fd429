namespace Dockyard.Server.ServerStatus;

/// <summary>
/// What the shared database says about replicas. Dockyard keeps no list of replicas; what exists is the lock mode,
/// the leases held right now (short-lived locks, each with a random holder id per acquisition) and the engine event
/// stream consumers (one holder id per process: distinct holders are distinct replicas).
/// </summary>
/// <param name="LockMode"><c>process</c> (single node) or <c>database</c> (leases shared by replicas).</param>
/// <param name="Leases">Lock leases not yet expired.</param>
/// <param name="EventConsumers">Engine event stream leases, whether live or expired.</param>
internal sealed record CoordinationStatus(string LockMode, IReadOnlyList<LeaseStatus> Leases, IReadOnlyList<LeaseStatus> EventConsumers);
