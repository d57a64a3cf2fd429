namespace Dockyard.Server.Access;

/// <summary>
/// A restriction carried by an access token: on repositories whose name matches <see cref="RepositoryPattern"/>
/// (a glob: <c>*</c> matches within one path component, <c>**</c> across components), at most <see cref="Actions"/>.
/// </summary>
internal sealed record TokenScope(string RepositoryPattern, RepositoryActions Actions);
