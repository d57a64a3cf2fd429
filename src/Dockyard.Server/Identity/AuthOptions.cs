namespace Dockyard.Server.Identity;

/// <summary>Configuration section <c>Dockyard:Auth</c>: Docker token authentication.</summary>
public sealed record AuthOptions
{
    public const string Section = "Dockyard:Auth";

    /// <summary>
    /// Token authentication on <c>/v2</c>. On by default; turning it off makes the registry open to anyone who
    /// can reach it (benchmarks, throwaway test instances) and is logged loudly at start-up.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The token issuer (<c>iss</c>) and the service name clients ask tokens for (<c>service</c>, <c>aud</c>).</summary>
    public string Issuer { get; init; } = "dockyard";

    public string Service { get; init; } = "dockyard";

    /// <summary>
    /// The token endpoint URL advertised in <c>WWW-Authenticate</c>; empty means derived from the request
    /// (<c>{scheme}://{host}/auth/token</c>).
    /// </summary>
    public string? Realm { get; init; }

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(30);
}
