using Dockyard.Server.Access;

namespace Dockyard.Server.Identity;

/// <summary>
/// The outcome of checking credentials. <see cref="FailureReason"/> is for the audit trail and logs, never for the
/// client. <see cref="RetryAfter"/> is set when the source address is throttled: that says nothing about the account,
/// so surfaces answer it as such (429 with <c>Retry-After</c>) instead of as wrong credentials.
/// </summary>
internal sealed record AuthenticationResult(Principal? Principal, string? FailureReason, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Principal is not null;

    public static AuthenticationResult Success(Principal principal) => new(principal, null);

    public static AuthenticationResult Failure(string reason) => new(null, reason);

    public static AuthenticationResult Throttled(string reason, TimeSpan retryAfter) => new(null, reason, retryAfter);
}
