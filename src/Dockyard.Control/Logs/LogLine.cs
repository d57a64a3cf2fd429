namespace Dockyard.Control.Logs;

/// <summary>
/// One line of container or service output, without its line terminator (<c>\n</c> or <c>\r\n</c>).
/// </summary>
/// <param name="Stream">The stream the line was written on; a TTY container writes everything on stdout.</param>
/// <param name="Timestamp">The engine's RFC3339Nano timestamp (requested with <c>timestamps</c>), truncated to 100 ns; null when not requested or absent.</param>
/// <param name="Text">The line, decoded as UTF-8 (invalid bytes become U+FFFD).</param>
/// <param name="Continues">
/// True when the line was longer than the reader's maximum and was split: the next line of the same stream continues it.
/// </param>
public sealed record LogLine(LogStreamKind Stream, DateTimeOffset? Timestamp, string Text, bool Continues = false);
