namespace Dockyard.Server.Webhooks;

/// <summary>Requested webhook fields; null leaves a field unchanged on update (and takes the default on create).</summary>
internal sealed record WebhookSettings(string? Url, string? Secret, IReadOnlyList<string>? Events, bool? Enabled, string? Description);
