namespace Dockyard.Server.Ui.Terminal;

/// <summary>What a page hosting the browser terminal (<c>terminal.js</c>, <c>terminal.css</c>) needs.</summary>
internal static class TerminalPage
{
    /// <summary>
    /// <see cref="UiEndpoints.ContentSecurityPolicy"/> with one relaxation: <c>style-src</c> also allows inline styles,
    /// because xterm.js sizes and colours its grid by writing <c>&lt;style&gt;</c> elements (it takes no nonce).
    /// Scripts stay same-origin only; <c>connect-src 'self'</c> covers the same-origin <c>ws:</c>/<c>wss:</c> socket.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The embedded assets of the terminal, served by <see cref="UiAssets"/>.</summary>
    public const string Script = "terminal.js";

    public const string Stylesheet = "terminal.css";
}
