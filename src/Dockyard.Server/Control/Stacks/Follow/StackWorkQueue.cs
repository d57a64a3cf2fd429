using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// The bounded queue between the registry's event consumer or the hook endpoint and <see cref="StackFollowWorker"/>:
/// at most <see cref="StackFollowOptions.QueueCapacity"/> distinct keys wait, and an item whose key is already waiting
/// replaces that one instead of queueing again (coalescing). Enqueueing never blocks. In this replica's memory: the
/// work is lost with the process (the registry event that caused it, once handed over, is not handed over again).
/// </summary>
internal sealed class StackWorkQueue(IOptions<StackFollowOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StackWork> _pending = new(StringComparer.Ordinal);
    private readonly Channel<string> _keys = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Items waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public StackEnqueueResult Enqueue(StackWork work)
    {
        lock (_lock)
        {
            if (_pending.ContainsKey(work.Key))
            {
                _pending[work.Key] = work;
                return StackEnqueueResult.Coalesced;
            }

            if (_pending.Count >= Math.Max(1, options.Value.QueueCapacity))
            {
                return StackEnqueueResult.Full;
            }

            _pending[work.Key] = work;
            _keys.Writer.TryWrite(work.Key);
            return StackEnqueueResult.Queued;
        }
    }

    /// <summary>The next item, waiting for one; its key is free again for new work once it is returned.</summary>
    public async ValueTask<StackWork> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _keys.Reader.ReadAsync(cancellationToken);
            lock (_lock)
            {
                if (_pending.Remove(key, out var work))
                {
                    return work;
                }
            }
        }
    }
}
