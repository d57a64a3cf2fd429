using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// A seekable read-only stream over a file made of <see cref="S3Piece"/>s. Bytes stream from one ranged GetObject
/// response at a time; nothing is buffered beyond the SDK's socket buffers.
/// </summary>
/// <remarks>
/// A committed file is one piece pinned to the ETag seen when the stream was opened: the first response is
/// already open (so a later move or delete does not disturb it), and a seek re-GETs with If-Match, so the stream
/// never mixes two versions — it fails with <see cref="IOException"/> instead.
/// </remarks>
internal sealed class S3ReadStream : Stream
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly S3Piece[] _pieces;
    private readonly long[] _starts;
    private readonly long _length;
    private long _position;
    private Stream? _current;
    private IDisposable? _currentOwner;
    private long _currentEnd;

    public S3ReadStream(IAmazonS3 client, string bucket, IReadOnlyList<S3Piece> pieces, long position, GetObjectResponse? openResponse)
    {
        _client = client;
        _bucket = bucket;
        _pieces = [.. pieces];
        _starts = new long[_pieces.Length];
        long start = 0;
        for (var i = 0; i < _pieces.Length; i++)
        {
            _starts[i] = start;
            start += _pieces[i].Length;
        }

        _length = start;
        _position = position;
        if (openResponse is not null)
        {
            // The caller opened piece 0 at the position already.
            _current = openResponse.ResponseStream;
            _currentOwner = openResponse;
            _currentEnd = _pieces.Length > 0 ? _pieces[0].Length : 0;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= _length)
        {
            return 0;
        }

        if (_current is null)
        {
            await OpenAtPositionAsync(cancellationToken);
        }

        var wanted = (int)Math.Min(buffer.Length, _currentEnd - _position);
        int read;
        try
        {
            read = await _current!.ReadAsync(buffer[..wanted], cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonS3Exception)
        {
            CloseCurrent();
            throw new IOException("Reading from S3 failed.", ex);
        }

        if (read == 0)
        {
            CloseCurrent();
            throw new IOException($"S3 ended a response {_currentEnd - _position} bytes early.");
        }

        _position += read;
        if (_position == _currentEnd)
        {
            CloseCurrent();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads exist because Stream demands them; the registry only reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            CloseCurrent();
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseCurrent();
        }

        base.Dispose(disposing);
    }

    private async Task OpenAtPositionAsync(CancellationToken cancellationToken)
    {
        var index = Array.FindLastIndex(_starts, start => start <= _position);
        while (_pieces[index].Length == 0 || _starts[index] + _pieces[index].Length <= _position)
        {
            index++;
        }

        var piece = _pieces[index];
        var within = _position - _starts[index];
        _currentEnd = _starts[index] + piece.Length;
        if (piece.Key is null)
        {
            _current = new MemoryStream(piece.Bytes[(int)within..].ToArray(), writable: false);
            return;
        }

        var request = new GetObjectRequest
        {
            BucketName = _bucket,
            Key = piece.Key,
            ByteRange = new ByteRange(within, piece.Length - 1),
            EtagToMatch = piece.ETag,
        };
        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken);
            _current = response.ResponseStream;
            _currentOwner = response;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            throw new IOException($"The file changed or vanished while it was being read (S3 object '{piece.Key}').", ex);
        }
    }

    private void CloseCurrent()
    {
        _current?.Dispose();
        _currentOwner?.Dispose();
        _current = null;
        _currentOwner = null;
    }
}
