namespace Dockyard.Server.Identity;

/// <summary>
/// Checks a username and password as sent by <c>docker login</c>, Basic auth or the OAuth2 password grant. The
/// password may be an access token. Implementations must not reveal whether the user exists (same answer,
/// similar time).
/// </summary>
internal interface ICredentialAuthenticator
{
    Task<AuthenticationResult> AuthenticateAsync(string username, string password, CancellationToken cancellationToken);
}
