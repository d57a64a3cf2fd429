using Dockyard.Registry.Events;
using Dockyard.Server.Events;

namespace Dockyard.Server.Search;

/// <summary>
/// Keeps the search index current from the registry's outbox events (pushes, tag and manifest deletes; the removal
/// of a repository raises a manifest delete per manifest): each marks its repository for re-indexing whole
/// (<see cref="SearchIndexQueue"/>, which indexes a burst of events once), so a repeated event (delivery is at least
/// once) or one handed over again after a failure changes nothing. Pulls and blob uploads
/// do not change what search finds. It shares the outbox dispatcher's cursor and lease with the other consumers, so
/// one replica indexes, in commit order.
/// </summary>
internal sealed class SearchIndexConsumer(SearchIndexQueue queue) : IRegistryEventConsumer
{
    public ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        if (published.Event is ManifestPushed or TagDeleted or ManifestDeleted)
        {
            queue.Mark(published.Event.Repository.Value);
        }

        return ValueTask.CompletedTask;
    }
}
