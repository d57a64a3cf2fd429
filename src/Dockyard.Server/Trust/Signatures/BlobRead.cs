namespace Dockyard.Server.Trust.Signatures;

/// <summary>What <see cref="SignatureBlobReader"/> found: the bytes, or why there are none.</summary>
internal sealed record BlobRead(byte[]? Bytes, string? Problem)
{
    public static readonly BlobRead Missing = new(null, "is missing from storage");

    public static readonly BlobRead TooLarge = new(null, "is larger than the size limit");
}
