namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// A signature made through Dockyard: what was signed (<see cref="Repository"/>, <see cref="Digest"/>), under which
/// identity (<see cref="DockerReference"/>, as skopeo's <c>matchRepository</c> compares it), by which key, and where it
/// is stored (<see cref="Tag"/>, the signature manifest and the payload layer). <see cref="Created"/> is false when the
/// key had already signed it and that signature was returned.
/// </summary>
internal sealed record SignatureView(
    string Repository,
    string Digest,
    string Key,
    string Fingerprint,
    string? Team,
    string DockerReference,
    string Tag,
    string SignatureManifest,
    string Payload,
    string Signature,
    DateTimeOffset? SignedAt,
    bool Created);
