namespace Dockyard.Server.Trust.Signatures;

/// <summary>The verified signatures of one manifest digest of one repository.</summary>
internal sealed record ImageTrust(string Repository, string Digest, SignatureState State, IReadOnlyList<SignatureVerdict> Signatures)
{
    /// <summary>True when a valid signature by a key of team <paramref name="team"/> (<c>org/team</c>) exists.</summary>
    public bool SignedByTeam(string team) => Signatures.Any(s => s.Valid && string.Equals(s.Team, team, StringComparison.Ordinal));

    /// <summary>True when a valid signature by any key of organization <paramref name="organization"/> exists.</summary>
    public bool SignedByOrganization(string organization) => Signatures.Any(s => s.Valid && string.Equals(s.Organization, organization, StringComparison.Ordinal));
}
