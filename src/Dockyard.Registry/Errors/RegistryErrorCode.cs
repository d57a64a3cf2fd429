namespace Dockyard.Registry.Errors;

/// <summary>
/// Error codes of the OCI distribution spec (plus RANGE_INVALID and TAG_INVALID, which Docker's
/// registry also sends). The wire string and HTTP status live in one translator in the server.
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
}
