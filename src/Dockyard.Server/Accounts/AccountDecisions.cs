using Dockyard.Server.Audit;

namespace Dockyard.Server.Accounts;

/// <summary>The refusals account services hand to <see cref="AuditedOperations"/>, raised as <see cref="AccountException"/>.</summary>
internal static class AccountDecisions
{
    /// <summary>Refused with 403: the caller sees the object but may not do this.</summary>
    public static AccessDecision Forbidden(string reason) => AccessDecision.Deny(reason, AccountException.Forbidden(reason));

    /// <summary>
    /// Refused as if the object did not exist (<paramref name="notFound"/>, 404), so its existence does not leak; the
    /// audit entry still says denied, with <paramref name="reason"/>.
    /// </summary>
    public static AccessDecision Hidden(string reason, string notFound) => AccessDecision.Deny(reason, AccountException.NotFound(notFound));

    /// <summary>The caller as a user acting with full rights (not a service account, not a scoped token) or the system; otherwise 403.</summary>
    public static AccessDecision RequireFullUser(Access.Principal principal, string what) =>
        principal is { Kind: Access.PrincipalKind.User, Scopes: null } or { Kind: Access.PrincipalKind.System }
            ? AccessDecision.Allowed
            : Forbidden($"{what} needs a user's full rights: sign in with a password or an access token without scopes.");
}
