using System.Net;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Registry.Storage.S3;

/// <summary>The few S3 calls more than one driver type makes, with "not found" turned into null.</summary>
internal static class S3Requests
{
    public static async Task PutBytesAsync(IAmazonS3 client, string bucket, string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        using var stream = MemoryMarshal.TryGetArray(content, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, AutoCloseStream = false };
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Metadata.Add(name, value);
        }

        await client.PutObjectAsync(request, cancellationToken);
    }

    public static async Task<GetObjectMetadataResponse?> HeadAsync(IAmazonS3 client, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The whole object (small objects only: state objects, links, upload info), or null.</summary>
    public static async Task<byte[]?> GetBytesAsync(IAmazonS3 client, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)Math.Min(response.ContentLength, int.MaxValue) : 0);
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task DeleteKeysAsync(IAmazonS3 client, string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(S3StorageDriver.DeleteBatchSize))
        {
            var response = await client.DeleteObjectsAsync(
                new DeleteObjectsRequest { BucketName = bucket, Quiet = true, Objects = [.. batch.Select(key => new KeyVersion { Key = key })] },
                cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                var first = errors[0];
                throw new IOException($"S3 refused to delete {errors.Count} of {batch.Length} objects; first: '{first.Key}': {first.Code} {first.Message}");
            }
        }
    }
}
