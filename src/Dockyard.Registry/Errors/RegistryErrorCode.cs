namespace Dockyard.Registry.Errors;

/// <summary>
/// What went wrong, as the registry core knows it: the error codes of the OCI distribution spec (plus RANGE_INVALID
/// and TAG_INVALID, which Docker's registry also sends) and a few typed kinds that share a spec code but not its HTTP
/// status. The core never picks a status: the server registers each value once with its wire string and status.
/// </summary>
public enum RegistryErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    RangeInvalid,
    TagInvalid,
    PaginationNumberInvalid,

    /// <summary>A manifest over the size limit (SIZE_INVALID, but 413 rather than 400).</summary>
    ManifestTooLarge,

    /// <summary>An index names a child manifest the repository does not have (MANIFEST_UNKNOWN, but 400: the push is invalid).</summary>
    ManifestReferenceUnknown,

    /// <summary>The content is being garbage-collected right now; the client should retry shortly (503).</summary>
    Unavailable,
}
