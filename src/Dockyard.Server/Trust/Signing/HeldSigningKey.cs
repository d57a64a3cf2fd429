namespace Dockyard.Server.Trust.Signing;

/// <summary>A registered key as server-side signing authorizes its use: who owns it (organization, optional team) and its fingerprint.</summary>
internal sealed record HeldSigningKey(long Id, long OrganizationId, string Organization, string Name, long? TeamId, string? Team, string Fingerprint)
{
    /// <summary><c>org/name</c>, as the API and the CLI name it.</summary>
    public string FullName => $"{Organization}/{Name}";
}
