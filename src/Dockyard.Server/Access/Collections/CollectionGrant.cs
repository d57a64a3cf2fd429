namespace Dockyard.Server.Access.Collections;

/// <summary>
/// <paramref name="Subject"/> holds <paramref name="Role"/> on <paramref name="Collection"/> and everything nested
/// in it. Several grants reaching one resource add up.
/// </summary>
internal sealed record CollectionGrant(CollectionSubject Subject, CollectionRole Role, CollectionPath Collection);
