namespace Dockyard.Server.Ldap;

/// <summary>The answer of "test connection": whether it worked, a message for the administrator, and the user found.</summary>
internal sealed record LdapConnectionTestResult(bool Success, string Message, string? UserDn = null, IReadOnlyList<string>? Groups = null);
