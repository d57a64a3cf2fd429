namespace Dockyard.Registry.Storage;

/// <summary>
/// The one place that knows where things live inside a storage driver:
/// <code>
/// &lt;root&gt;/
/// ├── blobs/
/// │   ├── sha256/
/// │   │   └── 9f/                          first two hex characters fan the directory out
/// │   │       └── 9f86d081…0a08            the verified bytes of one blob; present ⇒ complete and durable
/// │   └── sha512/…                         same shape for sha512
/// └── uploads/
///     └── 3f2a…-uuid/                      one directory per upload session
///         ├── info                         JSON: repository, started-at (survives restarts)
///         └── data                         bytes received so far; its size is the next expected offset
/// </code>
/// Manifests are blobs too (content-addressed, stored under blobs/). Which repository holds which blob,
/// manifest and tag is the metadata index's business.
/// </summary>
public static class StoragePaths
{
    public const string BlobsRoot = "blobs";
    public const string UploadsRoot = "uploads";

    public static string Blob(Digest digest)
    {
        var hex = digest.Hex;
        return $"{BlobsRoot}/{digest.AlgorithmName}/{hex[..2]}/{hex}";
    }

    public static string UploadDirectory(string uploadId) => $"{UploadsRoot}/{uploadId}";

    public static string UploadData(string uploadId) => $"{UploadsRoot}/{uploadId}/data";

    public static string UploadInfo(string uploadId) => $"{UploadsRoot}/{uploadId}/info";
}
