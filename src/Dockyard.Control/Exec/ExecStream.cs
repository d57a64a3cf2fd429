namespace Dockyard.Control.Exec;

/// <summary>
/// The hijacked exec connection (readable and writable), with the bytes the client already read while confirming the
/// start put back in front: <c>firstBuffer[0..buffered]</c>, and possibly a read still in flight into
/// <c>firstBuffer[buffered..]</c>. That read is awaited once the buffered bytes are taken, never cancelled
/// (cancelling a read on an HTTP connection aborts the connection).
/// </summary>
internal sealed class ExecStream(Stream inner, byte[] firstBuffer, int buffered, Task<int>? pendingRead) : Stream
{
    private Task<int>? _pending = pendingRead;
    private int _offset;
    private int _count = buffered;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_count == 0 && _pending is { } pending)
        {
            // The pending read fills the buffer right after the bytes already taken.
            _count = await pending.WaitAsync(cancellationToken);
            _pending = null;
        }

        if (_count > 0)
        {
            return TakeBuffered(buffer.Span);
        }

        return await inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_count == 0 && _pending is { } pending)
        {
            _count = pending.GetAwaiter().GetResult();
            _pending = null;
        }

        return _count > 0 ? TakeBuffered(buffer.AsSpan(offset, count)) : inner.Read(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var length = Math.Min(_count, destination.Length);
        firstBuffer.AsSpan(_offset, length).CopyTo(destination);
        _offset += length;
        _count -= length;
        return length;
    }
}
