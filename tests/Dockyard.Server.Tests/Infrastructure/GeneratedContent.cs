using System.Net;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// Request body streaming bytes [offset, offset+length) of <see cref="DeterministicData"/> with a Content-Length.
/// With <c>pauseAfter</c> set, it stops after that many bytes, signals <see cref="Paused"/> and waits for
/// <see cref="Abort"/> (then fails the request): the way to have a server killed mid-body, deterministically.
/// </summary>
public sealed class GeneratedContent : HttpContent
{
    private const int BufferSize = 64 * 1024;

    private readonly ulong _seed;
    private readonly long _offset;
    private readonly long _length;
    private readonly long? _pauseAfter;
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GeneratedContent(ulong seed, long offset, long length, long? pauseAfter = null)
    {
        _seed = seed;
        _offset = offset;
        _length = length;
        _pauseAfter = pauseAfter;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
    }

    /// <summary>Completes once <c>pauseAfter</c> bytes were written and flushed to the connection.</summary>
    public Task Paused => _paused.Task;

    /// <summary>Bytes written to the request stream so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Ends a paused body by failing it (the request then faults on the client side).</summary>
    public void Abort() => _aborted.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (BytesWritten < _length)
        {
            var limit = _pauseAfter is { } pause && BytesWritten < pause ? pause : _length;
            var n = (int)Math.Min(buffer.Length, limit - BytesWritten);
            DeterministicData.Fill(_seed, _offset + BytesWritten, buffer.AsSpan(0, n));
            await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            BytesWritten += n;

            if (_pauseAfter is { } pauseAt && BytesWritten == pauseAt)
            {
                await stream.FlushAsync(cancellationToken);
                _paused.TrySetResult();
                await _aborted.Task.WaitAsync(cancellationToken);
                throw new IOException($"request body deliberately aborted by the test after {BytesWritten} of {_length} bytes");
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
