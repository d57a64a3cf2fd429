namespace Dockyard.Server.Webhooks;

/// <summary>What one HTTP attempt produced: a status code and the start of the response body, or an error (timeout, connection refused, …).</summary>
internal sealed record WebhookAttemptResult(int? StatusCode, TimeSpan Duration, string? Error, string? Response = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
