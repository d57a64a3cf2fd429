using Dockyard.Registry.Errors;

namespace Dockyard.Server.Distribution;

/// <summary>
/// The error registry of the OCI wire format (modelled on CNCF Distribution's <c>errcode/register.go</c>): every
/// error <c>/v2</c> can answer is registered here once, with its wire code, HTTP status and default message. Each
/// <see cref="RegistryErrorCode"/> of the core maps to exactly one entry; the server's own entries (unexpected errors,
/// Kestrel's verdicts on a request body, the token GET's refusals) have no core code. Nothing else picks a status.
/// </summary>
internal static class OciErrors
{
    private static readonly List<OciError> Registered = [];
    private static readonly Dictionary<RegistryErrorCode, OciError> ByCode = [];

    public static readonly OciError BlobUnknown = Register(RegistryErrorCode.BlobUnknown, "BLOB_UNKNOWN", StatusCodes.Status404NotFound, "blob unknown to registry");
    public static readonly OciError BlobUploadInvalid = Register(RegistryErrorCode.BlobUploadInvalid, "BLOB_UPLOAD_INVALID", StatusCodes.Status400BadRequest, "blob upload invalid");
    public static readonly OciError BlobUploadUnknown = Register(RegistryErrorCode.BlobUploadUnknown, "BLOB_UPLOAD_UNKNOWN", StatusCodes.Status404NotFound, "blob upload unknown to registry");
    public static readonly OciError DigestInvalid = Register(RegistryErrorCode.DigestInvalid, "DIGEST_INVALID", StatusCodes.Status400BadRequest, "provided digest did not match uploaded content");
    public static readonly OciError ManifestBlobUnknown = Register(RegistryErrorCode.ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN", StatusCodes.Status400BadRequest, "manifest references a blob unknown to registry");
    public static readonly OciError ManifestInvalid = Register(RegistryErrorCode.ManifestInvalid, "MANIFEST_INVALID", StatusCodes.Status400BadRequest, "manifest invalid");
    public static readonly OciError ManifestUnknown = Register(RegistryErrorCode.ManifestUnknown, "MANIFEST_UNKNOWN", StatusCodes.Status404NotFound, "manifest unknown");
    public static readonly OciError ManifestReferenceUnknown = Register(RegistryErrorCode.ManifestReferenceUnknown, "MANIFEST_UNKNOWN", StatusCodes.Status400BadRequest, "index references a manifest unknown to the repository");
    public static readonly OciError ManifestTooLarge = Register(RegistryErrorCode.ManifestTooLarge, "SIZE_INVALID", StatusCodes.Status413PayloadTooLarge, "manifest too large");
    public static readonly OciError NameInvalid = Register(RegistryErrorCode.NameInvalid, "NAME_INVALID", StatusCodes.Status400BadRequest, "invalid repository name");
    public static readonly OciError NameUnknown = Register(RegistryErrorCode.NameUnknown, "NAME_UNKNOWN", StatusCodes.Status404NotFound, "repository name not known to registry");
    public static readonly OciError SizeInvalid = Register(RegistryErrorCode.SizeInvalid, "SIZE_INVALID", StatusCodes.Status400BadRequest, "provided length did not match content length");
    public static readonly OciError Unauthorized = Register(RegistryErrorCode.Unauthorized, "UNAUTHORIZED", StatusCodes.Status401Unauthorized, "authentication required");
    public static readonly OciError Denied = Register(RegistryErrorCode.Denied, "DENIED", StatusCodes.Status403Forbidden, "requested access to the resource is denied");
    public static readonly OciError Unsupported = Register(RegistryErrorCode.Unsupported, "UNSUPPORTED", StatusCodes.Status405MethodNotAllowed, "the operation is unsupported");
    public static readonly OciError TooManyRequests = Register(RegistryErrorCode.TooManyRequests, "TOOMANYREQUESTS", StatusCodes.Status429TooManyRequests, "too many requests");

    // UNAVAILABLE, not TOOMANYREQUESTS: Docker's pusher gives up on TOOMANYREQUESTS but retries UNAVAILABLE.
    public static readonly OciError Unavailable = Register(RegistryErrorCode.Unavailable, "UNAVAILABLE", StatusCodes.Status503ServiceUnavailable, "service unavailable");
    public static readonly OciError RangeInvalid = Register(RegistryErrorCode.RangeInvalid, "RANGE_INVALID", StatusCodes.Status416RangeNotSatisfiable, "invalid content range");
    public static readonly OciError TagInvalid = Register(RegistryErrorCode.TagInvalid, "TAG_INVALID", StatusCodes.Status400BadRequest, "manifest tag did not match URI");
    public static readonly OciError PaginationNumberInvalid = Register(RegistryErrorCode.PaginationNumberInvalid, "PAGINATION_NUMBER_INVALID", StatusCodes.Status400BadRequest, "invalid number of results requested");

    /// <summary>An unexpected failure of the server; the message never carries the exception's.</summary>
    public static readonly OciError Unknown = Register(null, "UNKNOWN", StatusCodes.Status500InternalServerError, "unknown error");

    /// <summary>Kestrel refused the request body (shorter than its Content-Length, malformed chunking, …).</summary>
    public static readonly OciError RequestBodyInvalid = Register(null, "SIZE_INVALID", StatusCodes.Status400BadRequest, "the request body is malformed or incomplete");

    /// <summary>Kestrel refused the request body as too large.</summary>
    public static readonly OciError RequestBodyTooLarge = Register(null, "SIZE_INVALID", StatusCodes.Status413PayloadTooLarge, "the request body is too large");

    /// <summary>
    /// A signed-in caller's valid token lacks the scope: DENIED in the body, but 401 with the challenge, as Distribution
    /// and Docker Hub answer — clients fetch a token for the challenged scope only after a 401, never after a 403.
    /// </summary>
    public static readonly OciError InsufficientScope = Register(null, "DENIED", StatusCodes.Status401Unauthorized, "requested access to the resource is denied");

    /// <summary>The token GET with credentials for another account than the <c>account</c> parameter names.</summary>
    public static readonly OciError TokenAccountMismatch = Register(null, "UNAUTHORIZED", StatusCodes.Status400BadRequest, "account does not match the credentials");

    /// <summary>The token GET with a malformed scope or another service's name.</summary>
    public static readonly OciError TokenRequestUnsupported = Register(null, "UNSUPPORTED", StatusCodes.Status400BadRequest, "unsupported token request");

    /// <summary>
    /// The storage is full (out of space on the data volume, or the database is): an upload was refused and its bytes
    /// deleted. 507 with the nearest OCI code (the spec has none for it); nothing the client sends will help until an
    /// operator frees space, and the session is gone, so a retry starts over.
    /// </summary>
    public static readonly OciError StorageFullUpload = Register(null, "BLOB_UPLOAD_INVALID", StatusCodes.Status507InsufficientStorage, "the registry's storage is full; the upload was discarded");

    /// <summary>The storage is full: a manifest (or its tag) could not be stored.</summary>
    public static readonly OciError StorageFullManifest = Register(null, "MANIFEST_INVALID", StatusCodes.Status507InsufficientStorage, "the registry's storage is full; the manifest was not stored");

    /// <summary>The storage is full: any other change (a delete, a mount) was not made.</summary>
    public static readonly OciError StorageFull = Register(null, "UNAVAILABLE", StatusCodes.Status507InsufficientStorage, "the registry's storage is full; nothing was changed");

    /// <summary>Every entry, in registration order (the table in docs/architecture.md).</summary>
    public static IReadOnlyList<OciError> All => Registered;

    /// <summary>The entry of a core error code.</summary>
    public static OciError Of(RegistryErrorCode code) =>
        ByCode.TryGetValue(code, out var error) ? error : throw new ArgumentOutOfRangeException(nameof(code), code, "Not registered.");

    /// <summary>The entry for Kestrel's verdict on a request (<see cref="BadHttpRequestException.StatusCode"/>).</summary>
    public static OciError OfBadRequest(int status) =>
        status == StatusCodes.Status413PayloadTooLarge ? RequestBodyTooLarge : RequestBodyInvalid;

    /// <summary>The entry for a request that failed because the storage is full (<see cref="Errors.OutOfSpace"/>).</summary>
    public static OciError OfStorageFull(RegistryRouteKind route) => route switch
    {
        RegistryRouteKind.Upload or RegistryRouteKind.Uploads => StorageFullUpload,
        RegistryRouteKind.Manifest => StorageFullManifest,
        _ => StorageFull,
    };

    private static OciError Register(RegistryErrorCode? code, string wireCode, int status, string message, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var error = new OciError(name, wireCode, status, message);
        if (Registered.Exists(e => e.Name == name))
        {
            throw new InvalidOperationException($"{name} is registered twice.");
        }

        if (code is { } registeredCode && !ByCode.TryAdd(registeredCode, error))
        {
            throw new InvalidOperationException($"{registeredCode} is registered twice.");
        }

        Registered.Add(error);
        return error;
    }
}
