using System.Text;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Thread-safe capture of a long-running child's output lines, keeping the most recent part for diagnostics.</summary>
public sealed class OutputBuffer
{
    private readonly int _maxChars;
    private readonly StringBuilder _buffer = new();
    private readonly Lock _gate = new();
    private long _droppedChars;

    public OutputBuffer(int maxChars = 256 * 1024)
    {
        _maxChars = maxChars;
    }

    public void AppendLine(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _buffer.Append(prefix).AppendLine(line);
            if (_buffer.Length > _maxChars)
            {
                var excess = _buffer.Length - (_maxChars * 3 / 4);
                _buffer.Remove(0, excess);
                _droppedChars += excess;
            }
        }
    }

    /// <summary>The captured output, at most the last <paramref name="tailChars"/> characters.</summary>
    public string Tail(int tailChars = 16 * 1024)
    {
        lock (_gate)
        {
            var text = _buffer.ToString();
            var dropped = _droppedChars;
            if (text.Length > tailChars)
            {
                dropped += text.Length - tailChars;
                text = text[^tailChars..];
            }

            return dropped > 0 ? $"[... {dropped} earlier chars dropped ...]{Environment.NewLine}{text}" : text;
        }
    }
}
