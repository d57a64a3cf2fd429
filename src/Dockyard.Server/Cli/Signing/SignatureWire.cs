namespace Dockyard.Server.Cli.Signing;

/// <summary>The signature the server answers to <c>POST …/signatures</c> (the fields the CLI prints).</summary>
internal sealed record SignatureWire(
    string Repository,
    string Digest,
    string Key,
    string Fingerprint,
    string? Team,
    string DockerReference,
    string Tag,
    string SignatureManifest,
    bool Created);
