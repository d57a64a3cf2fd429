using Dockyard.Server.Access;

namespace Dockyard.Server.Events;

/// <summary>
/// Who raised a recorded event, as stored in its <c>registry_outbox</c> payload: enough to attribute the event
/// (webhook <c>actor</c>, <c>tags.pushed_by</c>), never to authorize anything (token scopes are not kept).
/// </summary>
internal sealed record RegistryOutboxActor(
    PrincipalKind Kind,
    string Name,
    string AuthMethod,
    long? UserId = null,
    long? ServiceAccountId = null,
    long? OrganizationId = null,
    bool IsAdmin = false)
{
    public static RegistryOutboxActor From(Principal principal) => new(
        principal.Kind, principal.Name, principal.AuthMethod, principal.UserId, principal.ServiceAccountId, principal.OrganizationId, principal.IsAdmin);

    public Principal ToPrincipal() => new()
    {
        Kind = Kind,
        Name = Name,
        AuthMethod = AuthMethod,
        UserId = UserId,
        ServiceAccountId = ServiceAccountId,
        OrganizationId = OrganizationId,
        IsAdmin = IsAdmin,
    };
}
