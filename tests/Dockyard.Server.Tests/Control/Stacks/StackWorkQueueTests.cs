using Dockyard.Server.Control.Stacks.Follow;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>The redeploy queue: repeated pushes of one tag coalesce to the last digest, and it is bounded.</summary>
public sealed class StackWorkQueueTests
{
    [Fact]
    public async Task Pushes_of_the_same_tag_coalesce_to_the_last_digest_and_other_work_keeps_its_place()
    {
        var queue = new StackWorkQueue(Options.Create(new StackFollowOptions { QueueCapacity = 10 }));
        Assert.Equal(StackEnqueueResult.Queued, queue.Enqueue(new TagMovedWork("team/web", "1", "sha256:a")));
        Assert.Equal(StackEnqueueResult.Queued, queue.Enqueue(new HookCallWork("shop", 1, "alice")));
        Assert.Equal(StackEnqueueResult.Coalesced, queue.Enqueue(new TagMovedWork("team/web", "1", "sha256:b")));
        Assert.Equal(StackEnqueueResult.Coalesced, queue.Enqueue(new TagMovedWork("team/web", "1", "sha256:c")));
        Assert.Equal(2, queue.Count);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(new TagMovedWork("team/web", "1", "sha256:c"), await queue.ReadAsync(timeout.Token));
        Assert.Equal(new HookCallWork("shop", 1, "alice"), await queue.ReadAsync(timeout.Token));

        // Once taken, the key queues anew.
        Assert.Equal(StackEnqueueResult.Queued, queue.Enqueue(new TagMovedWork("team/web", "1", "sha256:d")));
    }

    [Fact]
    public void A_full_queue_drops_new_keys_but_still_coalesces_waiting_ones()
    {
        var queue = new StackWorkQueue(Options.Create(new StackFollowOptions { QueueCapacity = 2 }));
        Assert.Equal(StackEnqueueResult.Queued, queue.Enqueue(new TagMovedWork("a/x", "1", "sha256:1")));
        Assert.Equal(StackEnqueueResult.Queued, queue.Enqueue(new TagMovedWork("a/y", "1", "sha256:1")));
        Assert.Equal(StackEnqueueResult.Full, queue.Enqueue(new TagMovedWork("a/z", "1", "sha256:1")));
        Assert.Equal(StackEnqueueResult.Coalesced, queue.Enqueue(new TagMovedWork("a/x", "1", "sha256:2")));
        Assert.Equal(2, queue.Count);
    }
}
