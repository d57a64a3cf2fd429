using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>An audit entry as the UI's audit log lists it (the chain's hashes and the detail JSON stay in the store).</summary>
internal sealed record AuditEntryView(
    long Id,
    DateTimeOffset Time,
    string ActorKind,
    string ActorName,
    string? AuthMethod,
    string? SourceIp,
    string Action,
    string? Repository,
    string? Reference,
    string? Digest,
    string? Resource,
    string Outcome,
    string? Reason)
{
    public static AuditEntryView From(AuditEntryEntity entry) => new(
        entry.Id,
        entry.Time,
        entry.ActorKind,
        entry.ActorName,
        entry.AuthMethod,
        entry.SourceIp,
        entry.Action,
        entry.Repository,
        entry.Reference,
        entry.Digest,
        entry.Resource,
        entry.Outcome,
        entry.Reason);
}
