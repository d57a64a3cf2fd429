namespace Dockyard.Control.Compose;

/// <summary>
/// A Compose file that cannot be deployed: where (file, 1-based line and column; 0 when the fault has no position,
/// e.g. a missing variable given no default) and what was expected. Nothing is deployed when this is thrown.
/// </summary>
public sealed class ComposeException(string file, int line, int column, string reason)
    : Exception(line > 0 ? $"{file}:{line}:{column}: {reason}" : $"{file}: {reason}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The message without the position.</summary>
    public string Reason { get; } = reason;
}
