using Dockyard.Registry;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// A signature in the repository after <see cref="SignatureWriter.WriteAsync"/>: the signature manifest that holds it
/// (tag <see cref="Tag"/>), its payload layer, and whether this call added it (false when the key had already signed
/// the same identity and digest, and the existing signature was kept).
/// </summary>
internal sealed record WrittenSignature(
    string Tag,
    Digest SignatureManifest,
    Digest Payload,
    string DockerReference,
    string SignatureBase64,
    DateTimeOffset? SignedAt,
    bool Added);
