using System.Buffers.Binary;

namespace Dockyard.Control.Logs;

/// <summary>
/// Splits the engine's multiplexed stream (logs, attach, non-TTY exec) into payload pieces: each frame is an 8-byte
/// header <c>[type, 0, 0, 0, size (uint32 big-endian)]</c> followed by <c>size</c> bytes; type 0 (stdin, written on
/// stdout) and 1 are stdout, 2 is stderr. Headers and payloads may be split across reads at any byte: the decoder
/// keeps only the partial header (8 bytes) and the count of payload bytes still owed, never a whole frame.
/// In raw mode (TTY containers) every byte is stdout.
/// </summary>
internal sealed class MultiplexedFrameDecoder(bool raw)
{
    private const int HeaderLength = 8;
    private readonly byte[] _header = new byte[HeaderLength];
    private int _headerLength;
    private uint _remaining;
    private LogStreamKind _kind;

    /// <summary>True while a frame header or payload is incomplete (the stream ended mid-frame).</summary>
    public bool InsideFrame => _headerLength > 0 || _remaining > 0;

    /// <summary>Feeds <paramref name="data"/>, passing each payload piece to <paramref name="sink"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a multiplexed stream (typically: a TTY container read as framed).</exception>
    public void Decode(ReadOnlySpan<byte> data, LogLineAssembler sink)
    {
        if (raw)
        {
            sink.Append(LogStreamKind.Stdout, data);
            return;
        }

        while (!data.IsEmpty)
        {
            if (_remaining == 0)
            {
                var take = Math.Min(HeaderLength - _headerLength, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerLength));
                _headerLength += take;
                data = data[take..];
                if (_headerLength < HeaderLength)
                {
                    return;
                }

                _headerLength = 0;
                _kind = ReadHeader(_header, out _remaining);
                continue;
            }

            var length = (int)Math.Min(_remaining, (uint)data.Length);
            sink.Append(_kind, data[..length]);
            _remaining -= (uint)length;
            data = data[length..];
        }
    }

    private static LogStreamKind ReadHeader(ReadOnlySpan<byte> header, out uint size)
    {
        if (header[1] != 0 || header[2] != 0 || header[3] != 0 || header[0] > 2)
        {
            throw new InvalidDataException(
                $"the stream is not multiplexed (frame header {Convert.ToHexString(header)}); a TTY container's output is raw");
        }

        size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return header[0] == 2 ? LogStreamKind.Stderr : LogStreamKind.Stdout;
    }
}
