using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Identity;

/// <summary>
/// Wraps the credential authenticator with failed-login throttling per username and per source address, for
/// every caller (token endpoint, Basic auth on the management API). A locked key answers exactly like wrong
/// credentials and costs the same password hash. Access tokens in the password field count against the
/// address only: their username is free-form and they cannot be guessed. The address is the audit trail's client
/// address (<see cref="TrustedProxies"/>): behind a trusted reverse proxy every client would otherwise share the
/// proxy's address, so one attacker could lock everyone out.
/// </summary>
internal sealed partial class ThrottledCredentialAuthenticator(
    ICredentialAuthenticator inner,
    LoginThrottle throttle,
    IHttpContextAccessor http,
    TrustedProxies proxies,
    AuditTrail audit,
    ILogger<ThrottledCredentialAuthenticator> logger) : ICredentialAuthenticator
{
    public async Task<AuthenticationResult> AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        var userKey = SecretToken.LooksLikeSecret(password) ? null : LoginThrottle.UserKey(username);
        var keys = new List<string>(2);
        if (userKey is not null)
        {
            keys.Add(userKey);
        }

        if (http.HttpContext is { } context && proxies.ClientAddress(context) is { } address)
        {
            keys.Add(LoginThrottle.AddressKey(address));
        }

        if (await throttle.IsLockedAsync(keys, cancellationToken))
        {
            PasswordHasher.Verify(password, PasswordHasher.DummyHash);
            LogRefused(logger, string.Join(", ", keys));
            await audit.LoginAsync(username, MethodOf(password), null, "locked out after repeated failures");
            return AuthenticationResult.Failure("locked out after repeated failures");
        }

        var result = await inner.AuthenticateAsync(username, password, cancellationToken);
        await audit.LoginAsync(username, MethodOf(password), result.Principal, result.FailureReason);
        if (!result.Succeeded)
        {
            await throttle.RecordFailureAsync(keys, cancellationToken);
        }
        else if (userKey is not null && result.Principal is { Kind: PrincipalKind.User })
        {
            await throttle.ResetAsync(userKey, cancellationToken);
        }

        return result;
    }

    private static string MethodOf(string password) => SecretToken.LooksLikeSecret(password) ? AuthMethods.AccessToken : AuthMethods.Password;

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Login refused without checking credentials: {Keys} locked")]
    private static partial void LogRefused(ILogger logger, string keys);
}
