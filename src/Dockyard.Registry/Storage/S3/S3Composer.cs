using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// Writes a sequence of <see cref="S3Piece"/>s as one new object, server-side where it can: a PutObject for bytes
/// in memory, a CopyObject for one object up to 5 GiB, otherwise a multipart upload whose parts are ranged
/// UploadPartCopy calls (and an UploadPart for a trailing in-memory piece). The destination appears whole or not
/// at all; a failed multipart upload is aborted.
/// </summary>
/// <remarks>Every object piece but the last must be at least 5 MiB, the multipart minimum; callers guarantee it.</remarks>
/// <param name="client">The S3 client.</param>
/// <param name="bucket">Source and destination bucket.</param>
/// <param name="maxConcurrency">Parallel part copies of one multipart upload.</param>
/// <param name="maximumPartSize">Largest single copy; S3's 5 GiB except in tests of the splitting.</param>
internal sealed class S3Composer(IAmazonS3 client, string bucket, int maxConcurrency, long maximumPartSize = S3StorageOptions.MaximumPartSize)
{
    public async Task ComposeAsync(IReadOnlyList<S3Piece> pieces, string destinationKey, CancellationToken cancellationToken)
    {
        var nonEmpty = pieces.Where(piece => piece.Length > 0).ToList();
        if (nonEmpty.All(piece => piece.Key is null))
        {
            await PutAsync(destinationKey, nonEmpty.Count == 1 ? nonEmpty[0].Bytes : Concat(nonEmpty), cancellationToken);
            return;
        }

        if (nonEmpty is [{ Key: { } sourceKey } single] && single.Length <= maximumPartSize)
        {
            await client.CopyObjectAsync(
                new CopyObjectRequest
                {
                    SourceBucket = bucket,
                    SourceKey = sourceKey,
                    DestinationBucket = bucket,
                    DestinationKey = destinationKey,
                    ETagToMatch = single.ETag,
                },
                cancellationToken);
            return;
        }

        await MultipartAsync(nonEmpty, destinationKey, cancellationToken);
    }

    private async Task MultipartAsync(List<S3Piece> pieces, string destinationKey, CancellationToken cancellationToken)
    {
        // Plan every part first (ranges of at most 5 GiB; each stays >= 5 MiB whenever its piece is), then send
        // the server-side copies in parallel: a multi-GiB commit is many independent UploadPartCopy calls.
        var plan = new List<(S3Piece Piece, long First, long Last)>();
        foreach (var piece in pieces)
        {
            var count = piece.Key is null ? 1 : (int)((piece.Length + maximumPartSize - 1) / maximumPartSize);
            for (var i = 0; i < count; i++)
            {
                plan.Add((piece, piece.Length * i / count, (piece.Length * (i + 1) / count) - 1));
            }
        }

        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey }, cancellationToken);
        try
        {
            var etags = new string[plan.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, plan.Count),
                new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
                async (index, token) => etags[index] = await SendPartAsync(destinationKey, upload.UploadId, index + 1, plan[index], token));

            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest
                {
                    BucketName = bucket,
                    Key = destinationKey,
                    UploadId = upload.UploadId,
                    PartETags = [.. etags.Select((etag, index) => new PartETag(index + 1, etag))],
                },
                cancellationToken);
        }
        catch
        {
            // Not the caller's token: the abort must happen even when the caller gave up.
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
    }

    private async Task<string> SendPartAsync(string destinationKey, string uploadId, int partNumber, (S3Piece Piece, long First, long Last) part, CancellationToken cancellationToken)
    {
        var piece = part.Piece;
        if (piece.Key is null)
        {
            using var content = new MemoryStream(piece.Bytes.ToArray(), writable: false);
            var uploaded = await client.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = destinationKey,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    InputStream = content,
                    PartSize = piece.Length,
                },
                cancellationToken);
            return uploaded.ETag;
        }

        var copied = await client.CopyPartAsync(
            new CopyPartRequest
            {
                SourceBucket = bucket,
                SourceKey = piece.Key,
                DestinationBucket = bucket,
                DestinationKey = destinationKey,
                UploadId = uploadId,
                PartNumber = partNumber,
                FirstByte = part.First,
                LastByte = part.Last,
                ETagToMatch = piece.ETag is null ? null : [piece.ETag],
            },
            cancellationToken);
        return copied.ETag;
    }

    private Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        S3Requests.PutBytesAsync(client, bucket, key, content, metadata: null, cancellationToken);

    private static byte[] Concat(List<S3Piece> pieces)
    {
        var bytes = new byte[pieces.Sum(piece => piece.Length)];
        var offset = 0;
        foreach (var piece in pieces)
        {
            piece.Bytes.Span.CopyTo(bytes.AsSpan(offset));
            offset += piece.Bytes.Length;
        }

        return bytes;
    }
}
