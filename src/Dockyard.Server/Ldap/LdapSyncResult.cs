namespace Dockyard.Server.Ldap;

/// <summary>
/// What one sync run did. <see cref="Error"/> is set when the run stopped early (LDAP off, directory unreachable,
/// bad configuration); nobody is deactivated by a run that could not ask the directory.
/// </summary>
internal sealed record LdapSyncResult(int Checked, int Deactivated, int TeamsAdded, int TeamsRemoved, int Failed, string? Error);
