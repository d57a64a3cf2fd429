using System.Buffers;
using System.IO.Pipelines;

namespace Dockyard.Server.Tests.Ui.Terminal;

/// <summary>
/// An in-memory stand-in for an exec's hijacked engine connection: the relay reads what the test writes to
/// <see cref="Output"/> (the process's output) and writes into <see cref="Input"/> (the process's stdin).
/// <see cref="WriteOutputAsync"/> returns once the relay has read the chunk, so each chunk is one read on the relay's
/// side (back-to-back writes would otherwise be coalesced into one read): tests choose where reads split.
/// </summary>
internal sealed class DuplexTestStream : Stream
{
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _consumedSignal = new(0);
    private long _written;
    private long _consumed;

    /// <summary>The process side's output: write here what the relay should read.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>The process side's input: what the relay wrote.</summary>
    public PipeReader Input => _input.Reader;

    /// <summary>Completes when the relay disposed the stream (the engine connection would close).</summary>
    public Task Disposed => _disposed.Task;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Writes one chunk of process output and waits until the relay has read all of it (one relay read).</summary>
    public async Task WriteOutputAsync(byte[] bytes)
    {
        _written += bytes.Length;
        await _output.Writer.WriteAsync(bytes);
        while (Interlocked.Read(ref _consumed) < _written)
        {
            await _consumedSignal.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Ends the process output: the relay reads end of stream.</summary>
    public Task EndOutputAsync() => _output.Writer.CompleteAsync().AsTask();

    /// <summary>Reads exactly <paramref name="count"/> bytes of what the relay wrote to the process.</summary>
    public async Task<byte[]> ReadInputAsync(int count, CancellationToken cancellationToken)
    {
        var result = await _input.Reader.ReadAtLeastAsync(count, cancellationToken);
        var bytes = result.Buffer.Slice(0, count).ToArray();
        _input.Reader.AdvanceTo(result.Buffer.GetPosition(count));
        return bytes;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.Task.IsCompleted, this);
        var result = await _output.Reader.ReadAsync(cancellationToken);
        if (result.Buffer.IsEmpty && result.IsCompleted)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, result.Buffer.Length);
        result.Buffer.Slice(0, count).CopyTo(buffer.Span);
        _output.Reader.AdvanceTo(result.Buffer.GetPosition(count));
        Interlocked.Add(ref _consumed, count);
        _consumedSignal.Release();
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.Task.IsCompleted, this);
        await _input.Writer.WriteAsync(buffer, cancellationToken);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _disposed.TrySetResult())
        {
            // As a socket: reads in flight end, the process side sees its input end.
            _output.Reader.CancelPendingRead();
            _input.Writer.Complete();
        }

        base.Dispose(disposing);
    }
}
