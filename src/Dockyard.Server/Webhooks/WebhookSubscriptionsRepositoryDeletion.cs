using Dockyard.Registry;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Webhooks;

/// <summary>A deleted repository's webhooks are gone: its deletion events are matched against the subscriptions without them.</summary>
internal sealed class WebhookSubscriptionsRepositoryDeletion(WebhookSubscriptions subscriptions) : IRepositoryDeletionObserver
{
    public void RepositoryDeleted(RepositoryName repository) => subscriptions.Invalidate();
}
