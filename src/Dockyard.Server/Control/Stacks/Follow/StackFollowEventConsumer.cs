using Dockyard.Registry.Events;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// Turns a manifest pushed by tag into redeploy work when some stack follows that repository:tag (one indexed look-up
/// in <c>stack_follows</c>); the redeploy itself runs on <see cref="StackFollowWorker"/>. Pushes are recorded in the
/// outbox and dispatched by one replica at a time (<see cref="RegistryOutboxDispatcher"/>), so on N replicas one acts
/// on each push, at least once: a repeat after a crash queues the same move again, which coalesces with a waiting one,
/// and <see cref="StackFollowRunner"/> skips a stack whose revision already pins that digest.
/// </summary>
internal sealed partial class StackFollowEventConsumer(
    IDbContextFactory<DockyardDbContext> contexts,
    StackWorkQueue queue,
    ILogger<StackFollowEventConsumer> logger) : IRegistryEventConsumer
{
    public async ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        if (published.Event is not ManifestPushed { Tag: { } tag } pushed)
        {
            return;
        }

        var repository = pushed.Repository.Value;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.StackFollows.AnyAsync(f => f.Repository == repository && f.Tag == tag, cancellationToken))
            {
                return;
            }
        }

        var result = queue.Enqueue(new TagMovedWork(repository, tag, pushed.Digest.Value));
        if (result == StackEnqueueResult.Full)
        {
            LogQueueFull(repository, tag);
        }
        else
        {
            LogQueued(repository, tag, pushed.Digest.Value, result == StackEnqueueResult.Coalesced);
        }
    }

    [LoggerMessage(EventId = 4670, Level = LogLevel.Information, Message = "Followed tag {Repository}:{Tag} moved to {Digest}: redeploy queued (coalesced with a waiting one: {Coalesced})")]
    private partial void LogQueued(string repository, string tag, string digest, bool coalesced);

    [LoggerMessage(EventId = 4671, Level = LogLevel.Warning, Message = "Stack redeploy queue is full: the push of followed tag {Repository}:{Tag} is not followed")]
    private partial void LogQueueFull(string repository, string tag);
}
