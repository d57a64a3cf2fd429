using Dockyard.Server.Access;

namespace Dockyard.Server.Identity;

/// <summary>The outcome of checking credentials. <see cref="FailureReason"/> is for the audit trail and logs, never for the client.</summary>
internal sealed record AuthenticationResult(Principal? Principal, string? FailureReason)
{
    public bool Succeeded => Principal is not null;

    public static AuthenticationResult Success(Principal principal) => new(principal, null);

    public static AuthenticationResult Failure(string reason) => new(null, reason);
}
