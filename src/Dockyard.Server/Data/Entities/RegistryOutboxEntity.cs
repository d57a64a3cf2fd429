namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A registry event recorded in the same transaction as the change it describes (<c>registry_outbox</c>), so that
/// what a client saw succeed is delivered to the event consumers (webhooks, redeploy on push, …) at least once, even
/// when the process dies right after answering. Rows are appended with increasing ids, handed over in id order by the
/// dispatcher (its cursor is a <see cref="DeliveryCursorEntity"/>) and pruned once delivered.
/// </summary>
internal sealed class RegistryOutboxEntity
{
    public long Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The event type (e.g. <c>manifest.pushed</c>), for queries and diagnostics.</summary>
    public required string Kind { get; set; }

    /// <summary>The repository the event is about.</summary>
    public required string Repository { get; set; }

    /// <summary>The event and the request context it was published in, as JSON (the dispatcher's own format).</summary>
    public required string Payload { get; set; }
}
