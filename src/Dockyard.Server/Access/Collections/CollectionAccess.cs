namespace Dockyard.Server.Access.Collections;

/// <summary>
/// The collection rule, as a pure function: a principal holds an operation on a resource in a collection when it is
/// an active system administrator acting with full rights, or when one of the grants on that collection or one of
/// its ancestors names the principal (directly, or a team or organization it belongs to) with a role that contains
/// the operation. Grants never reach up or sideways; deactivated accounts, anonymous callers and scoped tokens get
/// nothing.
/// </summary>
internal static class CollectionAccess
{
    public static Decision Decide(CollectionPrincipal principal, Operation operation, CollectionPath collection, IEnumerable<CollectionGrant> grants)
    {
        if (!OperationKinds.IsControlPlane(OperationKinds.KindOf(operation)))
        {
            return Decision.Deny($"{operation} is not a control-plane operation.");
        }

        if (!principal.IsActive)
        {
            return Decision.Deny("anonymous or inactive account");
        }

        if (principal.HasTokenScopes)
        {
            return Decision.Deny("a scoped access token carries no control-plane rights");
        }

        if (principal.IsAdministrator)
        {
            return Decision.Allow("system administrator");
        }

        foreach (var grant in grants)
        {
            if (collection.IsWithin(grant.Collection) && principal.Is(grant.Subject) && grant.Role.Allows(operation))
            {
                return Decision.Allow($"role {grant.Role.Name} on {grant.Collection} granted to {grant.Subject.Kind} {grant.Subject.Id}");
            }
        }

        return Decision.Deny($"no grant on {collection} or above it allows {operation}");
    }

    public static bool Holds(CollectionPrincipal principal, Operation operation, CollectionPath collection, IEnumerable<CollectionGrant> grants) =>
        Decide(principal, operation, collection, grants).Allowed;
}
