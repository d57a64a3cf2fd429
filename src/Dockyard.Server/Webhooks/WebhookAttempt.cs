namespace Dockyard.Server.Webhooks;

/// <summary>
/// One recorded delivery attempt (an element of <c>webhook_deliveries.attempts_json</c>). <see cref="Response"/> is the
/// start of the receiver's response body (<see cref="WebhookSender.MaxResponseExcerpt"/> bytes at most, "…" appended
/// when there was more), absent for attempts that got no response and for attempts recorded before it was kept.
/// </summary>
internal sealed record WebhookAttempt(int Attempt, DateTimeOffset At, int? StatusCode, int DurationMs, string? Error, string? Response = null);
