namespace Dockyard.Server.Ldap;

/// <summary>A user as the directory describes it: DN, mapped attributes and the DNs of the groups it belongs to.</summary>
internal sealed record LdapUserEntry(string Dn, string Username, string? Email, string? DisplayName, IReadOnlyList<string> Groups);
