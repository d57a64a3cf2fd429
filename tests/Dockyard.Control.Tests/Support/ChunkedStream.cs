namespace Dockyard.Control.Tests.Support;

/// <summary>A read-only stream that hands out its bytes in the given pieces (or <c>chunk</c> bytes per read), like a socket.</summary>
internal sealed class ChunkedStream : Stream
{
    private readonly byte[] _data;
    private readonly Queue<int> _pieces;
    private readonly int _chunk;
    private int _position;

    public ChunkedStream(byte[] data, int chunk)
    {
        _data = data;
        _chunk = chunk;
        _pieces = new Queue<int>();
    }

    /// <summary>Reads return exactly the pieces split at <paramref name="cuts"/>, then the rest.</summary>
    public ChunkedStream(byte[] data, params int[] cuts)
    {
        _data = data;
        _chunk = int.MaxValue;
        _pieces = new Queue<int>();
        var previous = 0;
        foreach (var cut in cuts)
        {
            _pieces.Enqueue(cut - previous);
            previous = cut;
        }
    }

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        var limit = _pieces.Count > 0 ? _pieces.Dequeue() : _chunk;
        var length = Math.Min(Math.Min(count, limit), _data.Length - _position);
        _data.AsSpan(_position, length).CopyTo(buffer.AsSpan(offset));
        _position += length;
        return length;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var array = new byte[buffer.Length];
        var read = Read(array, 0, array.Length);
        array.AsSpan(0, read).CopyTo(buffer.Span);
        return ValueTask.FromResult(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
