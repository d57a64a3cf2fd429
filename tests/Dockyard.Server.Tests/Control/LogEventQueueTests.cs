using Dockyard.Control.Logs;
using Dockyard.Server.Control.Logs;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <see cref="LogEventQueue"/>: a full queue drops lines without waiting and reports how many exactly where they were
/// missing — before the next line that fits, or to the writer once it has caught up.
/// </summary>
public sealed class LogEventQueueTests
{
    [Fact]
    public async Task Drops_are_counted_and_reported_in_place()
    {
        var queue = new LogEventQueue(capacity: 2);
        for (var i = 1; i <= 5; i++)
        {
            queue.Offer(Line(i));
        }

        Assert.Equal(0, queue.TakeDroppedIfEmpty()); // lines 1 and 2 are still waiting: the count belongs after them
        Assert.Equal(["1", "2"], Drain(queue));
        Assert.Equal(3, queue.TakeDroppedIfEmpty());
        Assert.Equal(0, queue.TakeDroppedIfEmpty());

        // Dropped, then room again: the count goes in before the next line.
        queue.Offer(Line(6));
        queue.Offer(Line(7));
        queue.Offer(Line(8));
        Assert.Equal(["6", "7"], Drain(queue));
        queue.Offer(Line(9));
        Assert.Equal(["dropped 1", "9"], Drain(queue));
        await queue.EndAsync(LogStreamEnd.Complete, CancellationToken.None);
        Assert.Equal(["end complete"], Drain(queue));
        Assert.True(queue.Reader.Completion.IsCompleted);
    }

    private static LogEvent Line(int number) => LogEvent.Of(new LogLine(LogStreamKind.Stdout, null, number.ToString(System.Globalization.CultureInfo.InvariantCulture)), truncated: false);

    private static List<string> Drain(LogEventQueue queue)
    {
        var items = new List<string>();
        while (queue.Reader.TryRead(out var item))
        {
            items.Add(item.Line is { } line ? line.Text : item.End is { } end ? "end " + end.Reason : $"dropped {item.Dropped}");
        }

        return items;
    }
}
