namespace Dockyard.Server.Ui.Auth;

/// <summary>Names shared by the UI's cookie authentication: the scheme, the cookie and the claim it carries.</summary>
internal static class UiCookie
{
    /// <summary>The authentication scheme; used by the UI only (<c>/v2</c> and <c>/api/v1</c> never read it).</summary>
    public const string Scheme = "dockyard-ui";

    public const string Name = "dockyard_session";

    public const string AntiforgeryName = "dockyard_csrf";

    /// <summary>
    /// The session's random secret, the only thing in the cookie: the server-side record it names (<c>ui_sessions</c>,
    /// found by the secret's hash) says who is signed in and whether the session still holds.
    /// </summary>
    public const string SessionClaim = "dockyard:session";
}
