using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Registry.Storage.S3;

/// <summary>ListObjectsV2 with pagination, for <see cref="S3StorageDriver"/>.</summary>
internal static class S3Listing
{
    public static async Task<S3Object?> FirstObjectAsync(IAmazonS3 client, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken);
        return response.S3Objects is [var first, ..] ? first : null;
    }

    public static async Task<List<string>> ListKeysAsync(IAmazonS3 client, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var response = await client.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            if (response.IsTruncated != true)
            {
                return keys;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <summary>
    /// The direct children below <paramref name="prefix"/> as storage paths: common prefixes are directories, a state
    /// object stands for its uncommitted file, segments are never listed, duplicates are dropped.
    /// </summary>
    public static async IAsyncEnumerable<string> ChildrenAsync(IAmazonS3 client, string bucket, string prefix, string pathPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = "/" };
        while (true)
        {
            var response = await client.ListObjectsV2Async(request, cancellationToken);
            foreach (var directory in response.CommonPrefixes ?? [])
            {
                var name = directory[prefix.Length..^1];
                if (name.Length > 0 && !name.Contains(S3StorageDriver.WriterMarker, StringComparison.Ordinal) && seen.Add(name))
                {
                    yield return pathPrefix + name;
                }
            }

            foreach (var item in response.S3Objects ?? [])
            {
                var name = item.Key[prefix.Length..];
                var marker = name.IndexOf(S3StorageDriver.WriterMarker, StringComparison.Ordinal);
                if (marker >= 0)
                {
                    name = marker + S3StorageDriver.WriterMarker.Length == name.Length ? name[..marker] : string.Empty;
                }

                if (name.Length > 0 && seen.Add(name))
                {
                    yield return pathPrefix + name;
                }
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }
}
