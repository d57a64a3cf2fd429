namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>What <see cref="StackWorkQueue.Enqueue"/> did with an item.</summary>
internal enum StackEnqueueResult
{
    /// <summary>Queued as new work.</summary>
    Queued,

    /// <summary>Replaced the queued item with the same key (it had not started yet).</summary>
    Coalesced,

    /// <summary>Dropped: the queue holds <see cref="StackFollowOptions.QueueCapacity"/> items.</summary>
    Full,
}
