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
internal sealed class S3Composer(IAmazonS3 client, string bucket)
{
    public async Task ComposeAsync(IReadOnlyList<S3Piece> pieces, string destinationKey, CancellationToken cancellationToken)
    {
        var nonEmpty = pieces.Where(piece => piece.Length > 0).ToList();
        if (nonEmpty.All(piece => piece.Key is null))
        {
            await PutAsync(destinationKey, nonEmpty.Count == 1 ? nonEmpty[0].Bytes : Concat(nonEmpty), cancellationToken);
            return;
        }

        if (nonEmpty is [{ Key: { } sourceKey } single] && single.Length <= S3StorageOptions.MaximumPartSize)
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
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            foreach (var piece in pieces)
            {
                if (piece.Key is null)
                {
                    using var content = new MemoryStream(piece.Bytes.ToArray(), writable: false);
                    var uploaded = await client.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = bucket,
                            Key = destinationKey,
                            UploadId = upload.UploadId,
                            PartNumber = parts.Count + 1,
                            InputStream = content,
                            PartSize = piece.Length,
                        },
                        cancellationToken);
                    parts.Add(new PartETag(parts.Count + 1, uploaded.ETag));
                    continue;
                }

                // Equal ranges no larger than 5 GiB: each stays >= 5 MiB whenever the piece is.
                var count = (int)((piece.Length + S3StorageOptions.MaximumPartSize - 1) / S3StorageOptions.MaximumPartSize);
                for (var i = 0; i < count; i++)
                {
                    var first = piece.Length * i / count;
                    var last = (piece.Length * (i + 1) / count) - 1;
                    var copied = await client.CopyPartAsync(
                        new CopyPartRequest
                        {
                            SourceBucket = bucket,
                            SourceKey = piece.Key,
                            DestinationBucket = bucket,
                            DestinationKey = destinationKey,
                            UploadId = upload.UploadId,
                            PartNumber = parts.Count + 1,
                            FirstByte = first,
                            LastByte = last,
                            ETagToMatch = piece.ETag is null ? null : [piece.ETag],
                        },
                        cancellationToken);
                    parts.Add(new PartETag(parts.Count + 1, copied.ETag));
                }
            }

            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken);
        }
        catch
        {
            // Not the caller's token: the abort must happen even when the caller gave up.
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
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
