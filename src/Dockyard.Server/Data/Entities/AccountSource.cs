namespace Dockyard.Server.Data.Entities;

/// <summary>Where an account or membership comes from.</summary>
internal enum AccountSource
{
    Local,
    Ldap,
}
