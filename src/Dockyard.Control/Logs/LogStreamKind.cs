namespace Dockyard.Control.Logs;

/// <summary>Which output stream a log line came from. Frames the engine marks as stdin (type 0) are written on stdout.</summary>
public enum LogStreamKind
{
    /// <summary>Standard output (and the engine's type-0 "stdin" frames, which it writes on stdout).</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
