using Dockyard.Control.Logs;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// Keeps the first piece of a line the reader split (<see cref="LogLine.Continues"/>), marked truncated, and drops
/// the pieces that continue it; stdout and stderr are followed separately since they interleave.
/// </summary>
internal struct LineCutter
{
    private bool _skipStdout;
    private bool _skipStderr;

    /// <summary>False when <paramref name="line"/> continues a line already cut.</summary>
    public bool Keep(LogLine line, out bool truncated)
    {
        ref var skipping = ref (line.Stream == LogStreamKind.Stderr ? ref _skipStderr : ref _skipStdout);
        if (skipping)
        {
            skipping = line.Continues;
            truncated = false;
            return false;
        }

        skipping = line.Continues;
        truncated = line.Continues;
        return true;
    }
}
