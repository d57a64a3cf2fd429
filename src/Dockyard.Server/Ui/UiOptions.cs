namespace Dockyard.Server.Ui;

/// <summary>Configuration section <c>Dockyard:Ui</c>: the web UI and its sign-in sessions.</summary>
public sealed record UiOptions
{
    public const string Section = "Dockyard:Ui";

    /// <summary>Serve the web UI at <c>/</c>. Off leaves only the APIs.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A session ends after this long without a request (sliding: each request renews it).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after sign-in, however active it is.</summary>
    public TimeSpan AbsoluteTimeout { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Mark the session cookie <c>Secure</c> always. Off (the default) marks it Secure on HTTPS requests only, so a
    /// plain-HTTP loopback instance still works; turn on behind a TLS-terminating proxy.
    /// </summary>
    public bool RequireSecureCookie { get; init; }

    /// <summary>
    /// Count pulls per tag and per repository (manifest GETs; HEAD requests do not count). Counted off the request
    /// path, in memory, and added to the database every <see cref="PullCountFlushInterval"/>. Off: pulls are not
    /// counted, and only the tags' "last pulled" time is kept (one-minute resolution).
    /// </summary>
    public bool PullCounts { get; init; } = true;

    /// <summary>How often counted pulls are written to the database (one UPDATE per tag and repository pulled since).</summary>
    public TimeSpan PullCountFlushInterval { get; init; } = TimeSpan.FromSeconds(5);
}
