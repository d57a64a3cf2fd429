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
/// ├── repositories/
/// │   └── library/app/                     the repository name's components (they never start with '_')
/// │       ├── _manifests/sha256/9f86…      the repository holds this manifest; content: its media type
/// │       └── _tags/latest                 the digest the tag points at
/// └── uploads/
///     └── 3f2a…-uuid/                      one directory per upload session
///         ├── info                         JSON: repository, started-at (survives restarts)
///         └── data                         bytes received so far; its size is the next expected offset
/// </code>
/// Manifests are blobs too (content-addressed, stored under blobs/). The metadata index serves every
/// query; the repository links exist so that the index can be rebuilt from storage alone (reindex).
/// </summary>
public static class StoragePaths
{
    public const string BlobsRoot = "blobs";
    public const string UploadsRoot = "uploads";
    public const string RepositoriesRoot = "repositories";
    public const string ManifestLinksDirectory = "_manifests";
    public const string TagLinksDirectory = "_tags";

    public static string Blob(Digest digest)
    {
        var hex = digest.Hex;
        return $"{BlobsRoot}/{digest.AlgorithmName}/{hex[..2]}/{hex}";
    }

    public static string UploadDirectory(string uploadId) => $"{UploadsRoot}/{uploadId}";

    public static string UploadData(string uploadId) => $"{UploadsRoot}/{uploadId}/data";

    public static string UploadInfo(string uploadId) => $"{UploadsRoot}/{uploadId}/info";

    public static string Repository(RepositoryName repository) => $"{RepositoriesRoot}/{repository.Value}";

    public static string ManifestLink(RepositoryName repository, Digest digest) =>
        $"{RepositoriesRoot}/{repository.Value}/{ManifestLinksDirectory}/{digest.AlgorithmName}/{digest.Hex}";

    public static string TagLink(RepositoryName repository, string tag) =>
        $"{RepositoriesRoot}/{repository.Value}/{TagLinksDirectory}/{tag}";
}
