using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control;

/// <summary>
/// Who manages engines and collection grants: system administrators (acting with full rights), as the authorizer
/// decides <see cref="Operation.SystemAdminister"/>. Anyone else is refused with 403.
/// </summary>
internal sealed class ControlDecisions(IAccessAuthorizer authorizer)
{
    public async Task<AccessDecision> AdministerAsync(Principal principal, string what, CancellationToken cancellationToken)
    {
        var decision = await authorizer.DecideAsync(principal, Operation.SystemAdminister, Resource.System, cancellationToken);
        if (decision.Allowed)
        {
            return AccessDecision.Allowed;
        }

        var reason = $"Only system administrators may {what}.";
        return AccessDecision.Deny(reason, DomainException.Forbidden(reason));
    }

    /// <summary>For reads: throws the refusal (403) instead of returning it; reads are not audited.</summary>
    public async Task RequireAdministratorAsync(Principal principal, string what, CancellationToken cancellationToken)
    {
        var decision = await AdministerAsync(principal, what, cancellationToken);
        if (!decision.IsAllowed)
        {
            throw decision.Error!;
        }
    }
}
