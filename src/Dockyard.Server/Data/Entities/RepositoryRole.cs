namespace Dockyard.Server.Data.Entities;

/// <summary>Ordered roles on a repository: each includes the ones before it.</summary>
internal enum RepositoryRole
{
    None = 0,

    /// <summary>Pull.</summary>
    Read = 1,

    /// <summary>Pull and push.</summary>
    Write = 2,

    /// <summary>Pull, push, delete, settings and permissions.</summary>
    Admin = 3,
}
