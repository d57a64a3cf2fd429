namespace Dockyard.Server.Access.Collections;

/// <summary>Who a collection grant is given to.</summary>
internal enum CollectionSubjectKind
{
    User,
    Team,

    /// <summary>Every member (owners included) of the organization.</summary>
    Organization,
    ServiceAccount,
}
