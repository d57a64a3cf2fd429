using System.Text.Json;
using Dockyard.Registry.Events;
using Dockyard.Server.Access;
using Dockyard.Server.Addressing;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Turns registry events into pending deliveries, one per subscribed webhook, and wakes the delivery worker. Only
/// database writes happen here; the HTTP calls happen on <see cref="WebhookDeliveryWorker"/>.
/// </summary>
/// <remarks>
/// <para>
/// Events recorded in the outbox (pushes, deletes) may be handed over more than once (after a crash, say). Their
/// payload and delivery ids derive from the recorded event's id (<see cref="WebhookIds"/>), and the deliveries that
/// already exist are left out in the same transaction, so a repeat adds nothing (and the unique delivery id refuses a
/// duplicate that races past the check). Pulls are not recorded: their deliveries are best effort, with random ids.
/// </para>
/// <para>
/// <c>tag.created</c> is raised for every manifest pushed by tag (<c>PUT /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c>): the tag
/// now points at the pushed digest. The registry does not report the tag's previous target, so re-pushing the same
/// digest under the same tag raises it again; receivers treat it as "tag set".
/// </para>
/// </remarks>
internal sealed class WebhookEventConsumer(
    IDbContextFactory<DockyardDbContext> contexts,
    WebhookSubscriptions subscriptions,
    WebhookDeliveryWorker worker,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    PublicUrl publicUrl) : IRegistryEventConsumer
{
    public async ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        var (kind, type, extra) = Classify(published.Event);
        if (kind == WebhookEventKinds.None)
        {
            return;
        }

        var deliveries = new List<WebhookDeliveryEntity>();
        await AddAsync(deliveries, published, kind, type, cancellationToken);
        if (extra is { } tagged)
        {
            await AddAsync(deliveries, published, tagged.Kind, tagged.Type, cancellationToken);
        }

        if (deliveries.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (published.EventId is null)
        {
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = deliveries.Select(d => d.DeliveryId).ToArray();
            var existing = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.DeliveryId)).Select(d => d.DeliveryId).ToListAsync(cancellationToken);
            var missing = deliveries.Where(d => !existing.Contains(d.DeliveryId, StringComparer.Ordinal)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            db.WebhookDeliveries.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        worker.Wake();
    }

    /// <summary>A new pending delivery of <paramref name="payload"/> (not saved), with a random id unless <paramref name="deliveryId"/> is given.</summary>
    public static WebhookDeliveryEntity NewDelivery(long webhookId, WebhookPayload payload, DateTimeOffset now, string? deliveryId = null) => new()
    {
        DeliveryId = deliveryId ?? Guid.NewGuid().ToString(),
        WebhookId = webhookId,
        EventId = payload.Id,
        EventType = payload.Type,
        Payload = JsonSerializer.Serialize(payload, WebhookJson.Options),
        Status = WebhookDeliveryStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    private async Task AddAsync(List<WebhookDeliveryEntity> deliveries, PublishedRegistryEvent published, WebhookEventKinds kind, string type, CancellationToken cancellationToken)
    {
        var webhooks = await subscriptions.MatchAsync(published.Event.Repository, kind, cancellationToken);
        if (webhooks.Count == 0)
        {
            return;
        }

        var payload = ToPayload(published, type);
        var now = time.GetUtcNow();
        var stable = published.EventId is not null;
        deliveries.AddRange(webhooks.Select(id => NewDelivery(id, payload, now, stable ? WebhookIds.Delivery(payload.Id, id) : null)));
    }

    private static (WebhookEventKinds Kind, string Type, (WebhookEventKinds Kind, string Type)? Extra) Classify(RegistryEvent registryEvent) => registryEvent switch
    {
        ManifestPushed { Tag: not null } => (WebhookEventKinds.Push, WebhookEventNames.ManifestPushed, (WebhookEventKinds.Tag, WebhookEventNames.TagCreated)),
        ManifestPushed => (WebhookEventKinds.Push, WebhookEventNames.ManifestPushed, null),
        ManifestDeleted => (WebhookEventKinds.Delete, WebhookEventNames.ManifestDeleted, null),
        TagDeleted => (WebhookEventKinds.Delete, WebhookEventNames.TagDeleted, null),
        BlobDeleted => (WebhookEventKinds.Delete, WebhookEventNames.BlobDeleted, null),
        ManifestPulled => (WebhookEventKinds.Pull, WebhookEventNames.ManifestPulled, null),
        _ => (WebhookEventKinds.None, string.Empty, null),
    };

    private WebhookPayload ToPayload(PublishedRegistryEvent published, string type)
    {
        var payload = new WebhookPayload
        {
            Id = published.EventId is { } eventId ? WebhookIds.Event(eventId, type) : Guid.NewGuid().ToString(),
            Type = type,
            Timestamp = published.Event.OccurredAt,
            Registry = options.Value.RegistryHost ?? publicUrl.Authority,
            Repository = published.Event.Repository.Value,
            Actor = ActorOf(published.Actor),
        };
        return published.Event switch
        {
            ManifestPushed e => payload with { Digest = e.Digest.Value, MediaType = e.MediaType, Size = e.Size, Tag = e.Tag },
            ManifestPulled e => payload with { Digest = e.Digest.Value, Tag = e.Tag },
            ManifestDeleted e => payload with { Digest = e.Digest.Value },
            TagDeleted e => payload with { Tag = e.Tag },
            BlobDeleted e => payload with { Digest = e.Digest.Value },
            _ => payload,
        };
    }

    private static WebhookActor? ActorOf(Principal? principal) => principal switch
    {
        { Kind: PrincipalKind.User } => new WebhookActor("user", principal.Name),
        { Kind: PrincipalKind.ServiceAccount } => new WebhookActor("service_account", principal.Name),
        _ => null,
    };
}
