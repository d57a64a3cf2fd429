namespace Dockyard.Server.Access.Collections;

/// <summary>A grantee: a user, team, organization or service account, by id.</summary>
internal readonly record struct CollectionSubject(CollectionSubjectKind Kind, long Id);
