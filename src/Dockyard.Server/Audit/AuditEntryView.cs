using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>An audit entry as the UI's audit log lists it (the chain's hashes and the detail JSON stay in the store).</summary>
internal sealed record AuditEntryView(
    long Id,
    DateTimeOffset Time,
    string ActorName,
    string? AuthMethod,
    string? SourceIp,
    string Action,
    string? Repository,
    string? Reference,
    string? Resource,
    string Outcome,
    string? Reason)
{
    public static AuditEntryView From(AuditEntryEntity entry) => new(
        entry.Id,
        entry.Time,
        entry.ActorName,
        entry.AuthMethod,
        entry.SourceIp,
        entry.Action,
        entry.Repository,
        entry.Reference,
        entry.Resource,
        entry.Outcome,
        entry.Reason);
}
