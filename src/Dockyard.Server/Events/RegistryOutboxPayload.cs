namespace Dockyard.Server.Events;

/// <summary>
/// The <c>payload</c> column of <c>registry_outbox</c>: the event's fields (which of them depends on the row's
/// <c>kind</c>) and the request it was raised in. JSON, camelCase; unknown fields are ignored when read, so fields can
/// be added without a migration.
/// </summary>
internal sealed record RegistryOutboxPayload
{
    /// <summary>Random, fixed when recorded: every hand-over of the event carries it, so consumers recognise repeats.</summary>
    public required string EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? Digest { get; init; }

    public string? MediaType { get; init; }

    public long? Size { get; init; }

    public string? Tag { get; init; }

    /// <summary>The caller; null when the change was made outside a request (a CLI verb, a job).</summary>
    public RegistryOutboxActor? Actor { get; init; }

    /// <summary>The request's trace identifier, to correlate with logs and the audit trail.</summary>
    public string? RequestId { get; init; }

    /// <summary>The client's address (through trusted proxies, as the audit trail records it).</summary>
    public string? SourceIp { get; init; }
}
