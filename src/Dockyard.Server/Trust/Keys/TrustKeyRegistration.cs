namespace Dockyard.Server.Trust.Keys;

/// <summary>
/// A key to register in an organization: either <see cref="PublicKeyPem"/> (a PEM <c>PUBLIC KEY</c> whose private part
/// its owner keeps) or <see cref="Generate"/> (Dockyard creates an ECDSA P-256 pair and keeps the private part sealed, to
/// sign on callers' behalf). <see cref="Team"/> is a team name within the organization, null for an organization-wide key.
/// </summary>
internal sealed record TrustKeyRegistration(string? Name, string? Team, string? PublicKeyPem, bool Generate, DateTimeOffset? ExpiresAt);
