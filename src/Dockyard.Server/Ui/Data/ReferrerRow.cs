namespace Dockyard.Server.Ui.Data;

/// <summary>A manifest that refers to the one shown (OCI <c>subject</c>): a signature, an SBOM, an attestation, …</summary>
internal sealed record ReferrerRow(string Digest, string? ArtifactType, string Kind, long Size, DateTimeOffset CreatedAt);
