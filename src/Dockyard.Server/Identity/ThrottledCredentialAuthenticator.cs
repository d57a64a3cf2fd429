using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Identity;

/// <summary>
/// Wraps the credential authenticator with failed-login throttling, for every caller (token endpoint, Basic auth on
/// the management API, UI sign-in). In order, before any password is hashed: the source address's request rate
/// (<see cref="PasswordAttemptLimiter"/>, in memory), then the database counters (<see cref="LoginThrottle"/>): a
/// locked address is answered as throttled (429 with Retry-After: it says nothing about the account), a locked
/// (address, username) pair exactly like wrong credentials, and an account with many failures from everywhere is
/// slowed down, never locked. Refused attempts cost no hash. Then the address's concurrency slot, then the check.
/// Access tokens in the password field skip the rate and the username counters (their username is free-form,
/// they cannot be guessed and cost no hash) and are checked first: only a wrong one consults and counts against the
/// address. The address is the audit trail's client address (<see cref="TrustedProxies"/>): behind a trusted
/// reverse proxy every client would otherwise share the proxy's address.
/// </summary>
internal sealed partial class ThrottledCredentialAuthenticator(
    ICredentialAuthenticator inner,
    LoginThrottle throttle,
    PasswordAttemptLimiter limiter,
    IHttpContextAccessor http,
    TrustedProxies proxies,
    AuditTrail audit,
    TimeProvider time,
    ILogger<ThrottledCredentialAuthenticator> logger) : ICredentialAuthenticator
{
    private const string Locked = "locked out after repeated failures";
    private const string Limited = "too many sign-in attempts from this address";

    public async Task<AuthenticationResult> AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        var isPassword = !SecretToken.LooksLikeSecret(password);
        var address = http.HttpContext is { } context ? proxies.ClientAddress(context) : null;
        var keys = LoginKeys.For(address, isPassword ? username : null);
        if (isPassword && keys.Address is not null && throttle.Enabled && limiter.TryStart(keys.Address) is { } wait)
        {
            // Not audited: the limiter exists to make a flood cheap, and an audit row per refused request is not.
            LogLimited(logger, keys.Address);
            return AuthenticationResult.Throttled(Limited, wait);
        }

        if (!isPassword)
        {
            return await AuthenticateAccessTokenAsync(username, password, keys, cancellationToken);
        }

        var state = await throttle.CheckAsync(keys, cancellationToken);
        if (state.AddressRetryAfter is { } retryAfter)
        {
            return await RefuseAsync(username, password, keys, AuthenticationResult.Throttled(Locked, retryAfter));
        }

        if (state.PairLocked)
        {
            return await RefuseAsync(username, password, keys, AuthenticationResult.Failure(Locked));
        }

        if (state.UserDelay > TimeSpan.Zero)
        {
            await Task.Delay(state.UserDelay, time, cancellationToken);
        }

        var slot = isPassword && keys.Address is not null ? await limiter.EnterAsync(keys.Address, cancellationToken) : null;
        AuthenticationResult result;
        try
        {
            if (slot is { IsAcquired: false })
            {
                LogLimited(logger, keys.Address!);
                return AuthenticationResult.Throttled(Limited, PasswordAttemptLimiter.RetryAfterOf(slot));
            }

            result = await inner.AuthenticateAsync(username, password, cancellationToken);
        }
        finally
        {
            slot?.Dispose();
        }

        await audit.LoginAsync(username, MethodOf(password), result.Principal, result.FailureReason);
        if (!result.Succeeded)
        {
            await throttle.RecordFailureAsync(keys, cancellationToken);
        }
        else if (keys.User is not null && result.Principal is { Kind: PrincipalKind.User })
        {
            await throttle.ResetAsync(keys, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// An access token is checked before the address counters: it cannot be guessed and its check costs one indexed
    /// lookup (no hash), the same as reading the counters, so a valid token — every CI pull's token request — skips
    /// the counters' query, and only a wrong one consults them (a locked address is answered 429) and counts.
    /// </summary>
    private async Task<AuthenticationResult> AuthenticateAccessTokenAsync(string username, string secret, LoginKeys keys, CancellationToken cancellationToken)
    {
        var result = await inner.AuthenticateAsync(username, secret, cancellationToken);
        if (!result.Succeeded)
        {
            var state = await throttle.CheckAsync(keys, cancellationToken);
            if (state.AddressRetryAfter is { } retryAfter)
            {
                return await RefuseAsync(username, secret, keys, AuthenticationResult.Throttled(Locked, retryAfter));
            }

            await throttle.RecordFailureAsync(keys, cancellationToken);
        }

        await audit.LoginAsync(username, AuthMethods.AccessToken, result.Principal, result.FailureReason);
        return result;
    }

    private async Task<AuthenticationResult> RefuseAsync(string username, string password, LoginKeys keys, AuthenticationResult refusal)
    {
        LogRefused(logger, string.Join(", ", keys.All));
        await audit.LoginAsync(username, MethodOf(password), null, refusal.FailureReason);
        return refusal;
    }

    private static string MethodOf(string password) => SecretToken.LooksLikeSecret(password) ? AuthMethods.AccessToken : AuthMethods.Password;

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Login refused without checking credentials: one of {Keys} locked")]
    private static partial void LogRefused(ILogger logger, string keys);

    [LoggerMessage(EventId = 313, Level = LogLevel.Debug, Message = "Password sign-in from {Address} refused: over the per-address rate or concurrency limit")]
    private static partial void LogLimited(ILogger logger, string address);
}
