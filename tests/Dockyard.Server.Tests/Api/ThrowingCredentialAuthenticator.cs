using Dockyard.Server.Identity;

namespace Dockyard.Server.Tests.Api;

/// <summary>A credential check that fails unexpectedly (a directory or database gone), with internals in its message.</summary>
internal sealed class ThrowingCredentialAuthenticator : ICredentialAuthenticator
{
    public const string SecretMessage = "ldap://10.0.0.7 bind as cn=svc failed";

    public Task<AuthenticationResult> AuthenticateAsync(string username, string password, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(SecretMessage);
}
