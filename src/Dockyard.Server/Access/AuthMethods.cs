namespace Dockyard.Server.Access;

/// <summary>How a caller authenticated, as recorded in tokens and (later) the audit trail.</summary>
internal static class AuthMethods
{
    public const string Anonymous = "anonymous";
    public const string Password = "password";
    public const string Ldap = "ldap";
    public const string AccessToken = "token";
    public const string RefreshToken = "refresh_token";
    public const string System = "system";
}
