using System.Buffers;
using System.Text;

namespace Dockyard.Control.Logs;

/// <summary>
/// Turns payload pieces into <see cref="LogLine"/>s, one pending line per stream (stdout and stderr interleave).
/// Memory is bounded: each stream's pending line lives in one pooled buffer of the maximum line length; a longer line
/// is emitted in pieces (cut at a UTF-8 character boundary) marked <see cref="LogLine.Continues"/>. Completed lines are
/// appended to <see cref="Output"/>, which the reader drains after every read.
/// </summary>
internal sealed class LogLineAssembler : IDisposable
{
    /// <summary>The smallest maximum accepted: a timestamp prefix plus a few characters.</summary>
    public const int MinimumMaxLineBytes = 64;

    private readonly int _maxLineBytes;
    private readonly bool _timestamps;
    private readonly PendingLine _stdout;
    private readonly PendingLine _stderr;

    public LogLineAssembler(int maxLineBytes, bool timestamps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, MinimumMaxLineBytes);
        _maxLineBytes = maxLineBytes;
        _timestamps = timestamps;
        _stdout = new PendingLine(LogStreamKind.Stdout);
        _stderr = new PendingLine(LogStreamKind.Stderr);
    }

    /// <summary>Lines completed so far; the caller clears it after taking them.</summary>
    public List<LogLine> Output { get; } = [];

    /// <summary>Adds payload bytes written on <paramref name="kind"/>.</summary>
    public void Append(LogStreamKind kind, ReadOnlySpan<byte> data)
    {
        var line = kind == LogStreamKind.Stderr ? _stderr : _stdout;
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var segment = newline >= 0 ? data[..newline] : data;
            while (!segment.IsEmpty)
            {
                line.Buffer ??= ArrayPool<byte>.Shared.Rent(_maxLineBytes);
                var space = _maxLineBytes - line.Length;
                if (space == 0)
                {
                    EmitSplit(line);
                    continue;
                }

                var length = Math.Min(space, segment.Length);
                segment[..length].CopyTo(line.Buffer.AsSpan(line.Length));
                line.Length += length;
                segment = segment[length..];
            }

            if (newline < 0)
            {
                return;
            }

            Emit(line, line.Length, continues: false);
            data = data[(newline + 1)..];
        }
    }

    /// <summary>At end of stream: delivers lines that ended without a newline.</summary>
    public void Flush()
    {
        foreach (var line in new[] { _stdout, _stderr })
        {
            if (line.Length > 0)
            {
                Emit(line, line.Length, continues: false);
            }
        }
    }

    public void Dispose()
    {
        foreach (var line in new[] { _stdout, _stderr })
        {
            if (line.Buffer is { } buffer)
            {
                line.Buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The buffer is full and the line goes on: emit up to the last whole UTF-8 character, keep the rest.</summary>
    private void EmitSplit(PendingLine line)
    {
        var cut = Utf8Boundary(line.Buffer.AsSpan(0, line.Length));
        Emit(line, cut, continues: true);
    }

    private void Emit(PendingLine line, int length, bool continues)
    {
        var bytes = line.Buffer.AsSpan(0, length);
        DateTimeOffset? timestamp = null;
        if (_timestamps && !line.IsContinuation && Rfc3339Nano.TryParsePrefix(bytes, out var parsed, out var consumed))
        {
            timestamp = parsed;
            bytes = bytes[consumed..];
        }

        if (!continues && bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        Output.Add(new LogLine(line.Kind, timestamp, Encoding.UTF8.GetString(bytes), continues));

        // Keep the bytes after the cut (an incomplete UTF-8 character) at the start of the buffer.
        var rest = line.Length - length;
        if (rest > 0)
        {
            line.Buffer.AsSpan(length, rest).CopyTo(line.Buffer.AsSpan());
        }

        line.Length = rest;
        line.IsContinuation = continues;
    }

    /// <summary>Length of <paramref name="bytes"/> without a trailing incomplete UTF-8 sequence (at most 3 bytes dropped).</summary>
    internal static int Utf8Boundary(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 4; i--)
        {
            var b = bytes[i];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the lead byte
            }

            var needed = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return bytes.Length - i >= needed ? bytes.Length : i;
        }

        return bytes.Length; // not UTF-8 (only continuation bytes): cut anywhere
    }

    private sealed class PendingLine(LogStreamKind kind)
    {
        public LogStreamKind Kind { get; } = kind;

        public byte[]? Buffer { get; set; }

        public int Length { get; set; }

        /// <summary>The pending bytes continue a split line: they start with no timestamp.</summary>
        public bool IsContinuation { get; set; }
    }
}
