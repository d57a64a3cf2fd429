namespace Dockyard.Server.Ldap;

/// <summary>Members of the LDAP group <see cref="GroupDn"/> are members of <see cref="Team"/> in <see cref="Organization"/>.</summary>
internal sealed record LdapGroupMapping(string GroupDn, string Organization, string Team);
