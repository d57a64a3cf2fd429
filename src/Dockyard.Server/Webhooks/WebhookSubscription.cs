namespace Dockyard.Server.Webhooks;

/// <summary>An enabled webhook as the event matcher needs it.</summary>
internal sealed record WebhookSubscription(long Id, string? Organization, string? Repository, WebhookEventKinds Events);
