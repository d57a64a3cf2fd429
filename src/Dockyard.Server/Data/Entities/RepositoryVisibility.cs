namespace Dockyard.Server.Data.Entities;

/// <summary>Public repositories can be pulled by anyone, anonymous included; private ones only by grant.</summary>
internal enum RepositoryVisibility
{
    Private,
    Public,
}
