namespace Dockyard.Server.Ui.Auth;

/// <summary>Names shared by the UI's cookie authentication: the scheme, the cookie and the claims it carries.</summary>
internal static class UiCookie
{
    /// <summary>The authentication scheme; used by the UI only (<c>/v2</c> and <c>/api/v1</c> never read it).</summary>
    public const string Scheme = "dockyard-ui";

    public const string Name = "dockyard_session";

    public const string AntiforgeryName = "dockyard_csrf";

    /// <summary>The user's id; the only thing trusted from the cookie (everything else is read live).</summary>
    public const string UserIdClaim = "dockyard:uid";

    /// <summary>Sign-in time (UTC ticks), for the absolute session limit.</summary>
    public const string SignedInClaim = "dockyard:signed_in";

    /// <summary>How the user proved who they are (password, ldap).</summary>
    public const string MethodClaim = "dockyard:method";
}
