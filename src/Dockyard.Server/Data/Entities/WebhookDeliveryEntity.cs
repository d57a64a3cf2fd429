namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One event to deliver to one webhook. Written (pending) before any attempt, so deliveries survive restarts; the
/// body is stored and re-sent byte for byte on every attempt (it is signed at send time with the current secret).
/// </summary>
internal sealed class WebhookDeliveryEntity
{
    public long Id { get; set; }

    /// <summary>Public id, sent as <c>X-Dockyard-Delivery</c>.</summary>
    public required string DeliveryId { get; set; }

    public long WebhookId { get; set; }

    /// <summary>The payload's event id: the same for every webhook receiving one event.</summary>
    public required string EventId { get; set; }

    /// <summary>The payload's <c>type</c> (e.g. <c>manifest.pushed</c>), sent as <c>X-Dockyard-Event</c>.</summary>
    public required string EventType { get; set; }

    public required string Payload { get; set; }

    /// <summary><c>pending</c>, <c>succeeded</c>, <c>failed</c> (attempts exhausted) or <c>cancelled</c> (webhook disabled).</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the worker may (next) try; while an attempt runs it holds the attempt's lease expiry. Null once finished.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public int? LastDurationMs { get; set; }

    /// <summary>JSON array of every attempt: <c>{attempt, at, statusCode, durationMs, error}</c>.</summary>
    public string AttemptsJson { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
