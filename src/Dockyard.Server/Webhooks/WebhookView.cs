using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Webhooks;

/// <summary>A webhook as the API and the UI show it: everything but its secret.</summary>
internal sealed record WebhookView(
    long Id,
    string? Organization,
    string? Repository,
    string Url,
    IReadOnlyList<string> Events,
    bool Enabled,
    string? Description,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WebhookView From(WebhookEntity webhook, WebhookScope scope) => new(
        webhook.Id,
        scope.OrganizationName,
        webhook.Repository,
        webhook.Url,
        WebhookEventNames.ToNames((WebhookEventKinds)webhook.Events),
        webhook.Enabled,
        webhook.Description,
        webhook.CreatedBy,
        webhook.CreatedAt,
        webhook.UpdatedAt);
}
