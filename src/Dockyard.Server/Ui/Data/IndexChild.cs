namespace Dockyard.Server.Ui.Data;

/// <summary>An entry of an index: a platform's image, or an attestation attached to one.</summary>
internal sealed record IndexChild(string Digest, string MediaType, long Size, string? Platform, bool IsAttestation);
