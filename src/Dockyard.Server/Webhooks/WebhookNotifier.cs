using Dockyard.Registry;
using Dockyard.Server.Addressing;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Events that do not come from the registry's event stream, queued as deliveries to the webhooks subscribed to the
/// repository (its own or its organization's) like registry events are (<see cref="WebhookEventConsumer"/>).
/// </summary>
internal sealed class WebhookNotifier(
    IDbContextFactory<DockyardDbContext> contexts,
    WebhookSubscriptions subscriptions,
    WebhookDeliveryWorker worker,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    PublicUrl publicUrl)
{
    /// <summary><c>stack.redeploy.refused</c>: stack <paramref name="stack"/> did not follow <paramref name="repository"/>:<paramref name="tag"/> to <paramref name="digest"/> because of <paramref name="reason"/>.</summary>
    public async Task StackRedeployRefusedAsync(string stack, string repository, string tag, string digest, string reason, CancellationToken cancellationToken)
    {
        if (!RepositoryName.TryParse(repository, out var name))
        {
            return;
        }

        var webhooks = await subscriptions.MatchAsync(name, WebhookEventKinds.Trust, cancellationToken);
        if (webhooks.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var payload = new WebhookPayload
        {
            Id = Guid.NewGuid().ToString(),
            Type = WebhookEventNames.StackRedeployRefused,
            Timestamp = now,
            Registry = options.Value.RegistryHost ?? publicUrl.Authority,
            Repository = repository,
            Tag = tag,
            Digest = digest,
            Stack = stack,
            Reason = reason,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.WebhookDeliveries.AddRange(webhooks.Select(id => WebhookEventConsumer.NewDelivery(id, payload, now)));
        await db.SaveChangesAsync(cancellationToken);
        worker.Wake();
    }
}
