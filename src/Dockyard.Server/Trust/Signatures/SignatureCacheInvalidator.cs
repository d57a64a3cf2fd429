using Dockyard.Registry.Events;
using Dockyard.Server.Events;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// Drops cached verdicts of a repository when a signature may have come or gone there: a push or delete of a
/// digest-derived tag (<c>sha256-&lt;hex&gt;.sig</c>, the referrers fallback <c>sha256-&lt;hex&gt;</c>), a manifest pushed
/// by digest (referrers are; registry events carry no subject, so any may be one) or a manifest deleted. Pushing an
/// ordinary tag keeps every verdict: a digest's signatures do not depend on its tags. Events are dispatched by one
/// replica (the holder of the outbox lease, <see cref="RegistryOutboxDispatcher"/>); other replicas see the change within
/// <see cref="SignatureOptions.CacheTtl"/>. A repeated event only invalidates again.
/// </summary>
internal sealed class SignatureCacheInvalidator(ImageTrustCache cache) : IRegistryEventConsumer
{
    public ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        var relevant = published.Event switch
        {
            ManifestPushed { Tag: null } => true,
            ManifestPushed { Tag: { } tag } => SignatureTags.TryParse(tag, out _),
            TagDeleted { Tag: var tag } => SignatureTags.TryParse(tag, out _),
            ManifestDeleted => true,
            _ => false,
        };
        if (relevant)
        {
            cache.Invalidate(published.Event.Repository);
        }

        return ValueTask.CompletedTask;
    }
}
