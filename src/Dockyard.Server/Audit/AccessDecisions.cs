using Dockyard.Server.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Audit;

/// <summary>
/// The authorization step of an audited operation (<see cref="AuditedOperations"/>): the authorizer's decision, with
/// the refusal recorded as <c>denied</c> and raised as a <see cref="DomainException"/>. The rules themselves live
/// only in <see cref="IAccessAuthorizer"/>; this maps a decision to the reason and error the caller is told.
/// </summary>
internal static class AccessDecisions
{
    /// <summary>Refused with 403: the caller sees the object but may not do this.</summary>
    public static AccessDecision Forbidden(string reason) => AccessDecision.Deny(reason, DomainException.Forbidden(reason));

    /// <summary>
    /// Refused as if the object did not exist (<paramref name="notFound"/>, 404), so its existence does not leak; the
    /// audit entry still says denied, with <paramref name="reason"/>.
    /// </summary>
    public static AccessDecision Hidden(string reason, string notFound) => AccessDecision.Deny(reason, DomainException.NotFound(notFound));

    /// <summary><paramref name="operation"/> on <paramref name="resource"/>, or 403 with <paramref name="refusal"/>.</summary>
    public static async Task<AccessDecision> RequireAsync(
        this IAccessAuthorizer authorizer, Principal principal, Operation operation, Resource resource, string refusal, CancellationToken cancellationToken) =>
        await authorizer.MayAsync(principal, operation, resource, cancellationToken) ? AccessDecision.Allowed : Forbidden(refusal);

    /// <summary>
    /// <paramref name="operation"/> on the caller's own account (<see cref="Operation.AccountView"/>,
    /// <see cref="Operation.AccountManage"/>) or own personal tokens (the access-token operations): only users have one
    /// (<paramref name="refusal"/> otherwise); the authorizer decides the rest (a scoped token carries no
    /// account-management rights: 403).
    /// </summary>
    public static async Task<AccessDecision> RequireOwnAccountAsync(
        this IAccessAuthorizer authorizer, Principal principal, Operation operation, string refusal, CancellationToken cancellationToken)
    {
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId })
        {
            return Forbidden(refusal);
        }

        var resource = OperationKinds.KindOf(operation) == ResourceKind.AccessToken ? Resource.PersonalToken(userId) : Resource.AccountOf(userId);
        return await authorizer.RequireAsync(
            principal, operation, resource, "Managing your account needs your full rights: sign in with your password or an access token without scopes.", cancellationToken);
    }

    /// <summary>
    /// <paramref name="operation"/> on a resource the caller must first be allowed to see (<paramref name="see"/>): one it
    /// may not see answers as the <c>NotFound</c> message of <paramref name="messages"/> (recorded as denied with its
    /// <c>Hidden</c> reason); one it sees but may not act on is refused with 403 and its <c>Refusal</c>.
    /// </summary>
    public static async Task<AccessDecision> RequireVisibleAsync(
        this IAccessAuthorizer authorizer,
        Principal principal,
        Operation see,
        Operation operation,
        Resource resource,
        (string Hidden, string NotFound, string Refusal) messages,
        CancellationToken cancellationToken)
    {
        if (!await authorizer.MayAsync(principal, see, resource, cancellationToken))
        {
            return Hidden(messages.Hidden, messages.NotFound);
        }

        return await authorizer.RequireAsync(principal, operation, resource, messages.Refusal, cancellationToken);
    }
}
