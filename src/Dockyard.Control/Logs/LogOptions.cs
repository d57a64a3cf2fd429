namespace Dockyard.Control.Logs;

/// <summary>What to read from <c>GET containers/{id}/logs</c> or <c>GET services/{id}/logs</c>.</summary>
public sealed record LogOptions
{
    /// <summary>The largest line kept in memory, in UTF-8 bytes; longer lines are delivered in pieces marked <see cref="LogLine.Continues"/>.</summary>
    public const int DefaultMaxLineBytes = 16 * 1024;

    /// <summary>Include standard output.</summary>
    public bool Stdout { get; init; } = true;

    /// <summary>Include standard error.</summary>
    public bool Stderr { get; init; } = true;

    /// <summary>Keep the stream open and deliver new lines as they are written, until the caller's token is cancelled.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines of the existing log; null for all of it.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only lines written before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Ask the engine for timestamps; they are parsed into <see cref="LogLine.Timestamp"/>.</summary>
    public bool Timestamps { get; init; }

    /// <summary>
    /// Whether the container (or the service's container spec) has a TTY, so the stream is raw instead of multiplexed.
    /// Null: the client inspects the container or service to find out.
    /// </summary>
    public bool? Tty { get; init; }

    /// <summary>See <see cref="DefaultMaxLineBytes"/>.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;
}
