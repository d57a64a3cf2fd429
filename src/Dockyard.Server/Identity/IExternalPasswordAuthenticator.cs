namespace Dockyard.Server.Identity;

/// <summary>
/// A directory that can check passwords of users who are not local (LDAP / Active Directory). Asked after
/// local accounts; returns null when it does not know the user, so the next source may try.
/// </summary>
internal interface IExternalPasswordAuthenticator
{
    Task<AuthenticationResult?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken);
}
