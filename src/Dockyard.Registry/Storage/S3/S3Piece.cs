namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// One consecutive run of a file's bytes: a whole S3 object (pinned to its ETag when known), or bytes already in
/// memory (the tail of an uncommitted writer).
/// </summary>
internal readonly record struct S3Piece(string? Key, long Length, string? ETag, ReadOnlyMemory<byte> Bytes)
{
    public static S3Piece Object(string key, long length, string? etag = null) => new(key, length, etag, default);

    public static S3Piece Memory(ReadOnlyMemory<byte> bytes) => new(null, bytes.Length, null, bytes);
}
