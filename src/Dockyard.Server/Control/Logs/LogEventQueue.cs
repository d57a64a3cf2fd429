using System.Threading.Channels;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// The bounded queue between one log stream's engine reader and its response writer (<see cref="LogEventStream"/>).
/// The reader never waits for room: a line that does not fit is counted as dropped, and the count goes out as one
/// <c>dropped</c> event exactly where the lines were missing — queued before the next line once there is room, or
/// taken by the writer as soon as it has emptied the queue (so a burst that ends in drops is reported without waiting
/// for another line). A lock keeps the two sides from reordering the count and the lines; it is uncontended but for
/// those moments.
/// </summary>
internal sealed class LogEventQueue
{
    private readonly Channel<LogEvent> _channel;
    private readonly Lock _sync = new();
    private long _dropped;

    public LogEventQueue(int capacity)
    {
        _channel = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<LogEvent> Reader => _channel.Reader;

    /// <summary>Queues a line, or counts it as dropped when the queue is full. Never waits.</summary>
    public void Offer(LogEvent line)
    {
        lock (_sync)
        {
            if (_dropped > 0)
            {
                if (!_channel.Writer.TryWrite(LogEvent.DroppedLines(_dropped)))
                {
                    _dropped++;
                    return;
                }

                _dropped = 0;
            }

            if (!_channel.Writer.TryWrite(line))
            {
                _dropped++;
            }
        }
    }

    /// <summary>A heartbeat, if there is room (a full queue has something to send anyway).</summary>
    public void OfferHeartbeat() => _channel.Writer.TryWrite(LogEvent.Heartbeat);

    /// <summary>For the writer, when it has emptied the queue: the lines dropped since, now that they can be reported in place.</summary>
    public long TakeDroppedIfEmpty()
    {
        lock (_sync)
        {
            if (_dropped == 0 || _channel.Reader.Count > 0)
            {
                return 0;
            }

            var dropped = _dropped;
            _dropped = 0;
            return dropped;
        }
    }

    /// <summary>Queues the end (after any dropped count), waiting for room, and closes the queue.</summary>
    public async Task EndAsync(LogStreamEnd end, CancellationToken cancellationToken)
    {
        long dropped;
        lock (_sync)
        {
            dropped = _dropped;
            _dropped = 0;
        }

        if (dropped > 0)
        {
            await _channel.Writer.WriteAsync(LogEvent.DroppedLines(dropped), cancellationToken);
        }

        await _channel.Writer.WriteAsync(LogEvent.Ended(end), cancellationToken);
        _channel.Writer.TryComplete();
    }

    /// <summary>Closes the queue without an end event (the client left, or as a last resort).</summary>
    public void Complete(LogStreamEnd? end = null)
    {
        if (end is not null)
        {
            _channel.Writer.TryWrite(LogEvent.Ended(end));
        }

        _channel.Writer.TryComplete();
    }
}
