using System.Text.Json;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>An entry as the API, the JSON Lines export and the SIEM sinks show it (the one JSON shape).</summary>
internal sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset Time,
    string ActorKind,
    string ActorName,
    long? ActorId,
    string? AuthMethod,
    string? SourceIp,
    string? UserAgent,
    string Action,
    string? Repository,
    string? Reference,
    string? Digest,
    string? Resource,
    string? Organization,
    string Outcome,
    string? Reason,
    string? RequestId,
    string? Details,
    string Hash)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static AuditEntryResponse From(AuditEntryEntity e) => new(
        e.Id, e.Time, e.ActorKind, e.ActorName, e.ActorId, e.AuthMethod, e.SourceIp, e.UserAgent, e.Action, e.Repository,
        e.Reference, e.Digest, e.Resource, e.Organization, e.Outcome, e.Reason, e.RequestId, e.Details, e.Hash);

    /// <summary>One JSON line (no newline).</summary>
    public static string ToJsonLine(AuditEntryEntity entry) => JsonSerializer.Serialize(From(entry), JsonOptions);
}
