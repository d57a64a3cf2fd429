namespace Dockyard.Server.Access;

/// <summary>What may be done to a repository, in Docker token-scope terms (<c>pull</c>, <c>push</c>, <c>delete</c>).</summary>
[Flags]
internal enum RepositoryActions
{
    None = 0,
    Pull = 1,
    Push = 2,
    Delete = 4,
    All = Pull | Push | Delete,
}
