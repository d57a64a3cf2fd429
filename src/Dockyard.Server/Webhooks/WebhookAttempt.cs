namespace Dockyard.Server.Webhooks;

/// <summary>One recorded delivery attempt (an element of <c>webhook_deliveries.attempts_json</c>).</summary>
internal sealed record WebhookAttempt(int Attempt, DateTimeOffset At, int? StatusCode, int DurationMs, string? Error);
