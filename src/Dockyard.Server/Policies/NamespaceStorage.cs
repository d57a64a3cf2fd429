namespace Dockyard.Server.Policies;

/// <summary>
/// A namespace's storage: the distinct content of its repositories (what its quota counts), its quota when it is an
/// organization that has one, and how many repositories it has.
/// </summary>
internal sealed record NamespaceStorage(string Namespace, bool IsOrganization, long UsedBytes, long? QuotaBytes, int Repositories);
