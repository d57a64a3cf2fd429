namespace Dockyard.Server.ServerStatus;

/// <summary>One lease row: what it is for, who holds it, until when, and whether the holder is this process.</summary>
internal sealed record LeaseStatus(string Name, string Holder, DateTimeOffset ExpiresAt, bool Live, bool ThisReplica);
