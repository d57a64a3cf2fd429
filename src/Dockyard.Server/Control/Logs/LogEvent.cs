using Dockyard.Control.Logs;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// One item between the engine reader and the event-stream writer of <see cref="LogEventStream"/>: a line, a count
/// of lines dropped because the client fell behind, a heartbeat, or the end.
/// </summary>
internal readonly record struct LogEvent(LogLine? Line, bool Truncated, long Dropped, LogStreamEnd? End)
{
    public static LogEvent Heartbeat => default;

    public static LogEvent Of(LogLine line, bool truncated) => new(line, truncated, 0, null);

    public static LogEvent DroppedLines(long count) => new(null, false, count, null);

    public static LogEvent Ended(LogStreamEnd end) => new(null, false, 0, end);
}
