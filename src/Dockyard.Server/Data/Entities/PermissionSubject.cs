namespace Dockyard.Server.Data.Entities;

/// <summary>Who a repository permission is granted to.</summary>
internal enum PermissionSubject
{
    User,
    Team,
}
