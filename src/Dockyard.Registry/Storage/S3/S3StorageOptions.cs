namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// Where and how <see cref="S3StorageDriver"/> stores files. Bound from <c>Dockyard:Storage:S3</c>.
/// </summary>
public sealed record S3StorageOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (every part but the last).</summary>
    public const long MinimumPartSize = 5L * 1024 * 1024;

    /// <summary>The largest part (and the largest single CopyObject) S3 accepts.</summary>
    public const long MaximumPartSize = 5L * 1024 * 1024 * 1024;

    /// <summary>Service URL, e.g. <c>http://127.0.0.1:7480</c>; empty means AWS itself (chosen by <see cref="Region"/>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Signing region; S3-compatible servers usually accept any value.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The bucket; required. It must exist unless <see cref="CreateBucket"/> is set.</summary>
    public string Bucket { get; init; } = string.Empty;

    /// <summary>Key prefix every path is stored under (e.g. <c>registry/</c>); empty stores at the bucket root.</summary>
    public string? Prefix { get; init; }

    /// <summary>Access key id; empty uses the AWS SDK's default credential chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret access key; never logged.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), which Ceph RGW and MinIO need by default.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Create the bucket on start when it does not exist.</summary>
    public bool CreateBucket { get; init; }

    /// <summary>
    /// Size of the objects an append writer flushes (and so of multipart parts); at least 5 MiB. A writer holds
    /// up to this much in memory.
    /// </summary>
    public long PartSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>Redirect blob downloads to presigned S3 URLs instead of streaming them through the registry.</summary>
    public bool RedirectBlobDownloads { get; init; }

    /// <summary>How long a presigned download URL stays valid.</summary>
    public TimeSpan RedirectExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Parallel requests for batch operations (existence checks before batch deletes).</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Problems that make these options unusable, as messages for the operator; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            errors.Add("Dockyard:Storage:S3:Bucket is required.");
        }

        if (!string.IsNullOrWhiteSpace(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps) || endpoint.Query.Length > 0))
        {
            errors.Add($"Dockyard:Storage:S3:Endpoint '{Endpoint}' is not an absolute http:// or https:// URL.");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            errors.Add("Dockyard:Storage:S3:Region is required.");
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            errors.Add("Dockyard:Storage:S3:AccessKey and SecretKey must be given together.");
        }

        if (PartSize < MinimumPartSize || PartSize > 1024L * 1024 * 1024)
        {
            errors.Add($"Dockyard:Storage:S3:PartSize must be between {MinimumPartSize} (5 MiB) and 1 GiB.");
        }

        if (Prefix is { Length: > 0 } prefix && (prefix.StartsWith('/') || prefix.Contains("//", StringComparison.Ordinal)))
        {
            errors.Add("Dockyard:Storage:S3:Prefix must not start with '/' or contain '//'.");
        }

        if (RedirectExpiry <= TimeSpan.Zero || RedirectExpiry > TimeSpan.FromDays(7))
        {
            errors.Add("Dockyard:Storage:S3:RedirectExpiry must be positive and at most 7 days.");
        }

        if (MaxConcurrency is < 1 or > 256)
        {
            errors.Add("Dockyard:Storage:S3:MaxConcurrency must be between 1 and 256.");
        }

        return errors;
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() =>
        $"S3StorageOptions {{ Endpoint = {Endpoint}, Region = {Region}, Bucket = {Bucket}, Prefix = {Prefix}, AccessKey = {AccessKey}, SecretKey = {(string.IsNullOrEmpty(SecretKey) ? "" : "***")}, ForcePathStyle = {ForcePathStyle} }}";
}
