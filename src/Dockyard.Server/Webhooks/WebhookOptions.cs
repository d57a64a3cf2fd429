namespace Dockyard.Server.Webhooks;

/// <summary><c>Dockyard:Webhooks</c>: delivery behaviour.</summary>
internal sealed record WebhookOptions
{
    public const string Section = "Dockyard:Webhooks";

    /// <summary>Per-attempt timeout (connect, send, response headers).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the 2nd attempt; each later one waits <see cref="RetryFactor"/> times longer.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(10);

    public double RetryFactor { get; init; } = 3;

    /// <summary>Attempts per delivery, the first included (8: 10 s, 30 s, 90 s, … about 3 h in all).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Deliveries in flight at once, per process.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>How often the worker looks for due deliveries besides being woken (catches other replicas' work).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a process keeps its cached subscriptions before reloading (changes made here apply at once).</summary>
    public TimeSpan SubscriptionRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>registry</c> field of payloads; defaults to the host[:port] of <c>Dockyard:PublicUrl</c>.</summary>
    public string? RegistryHost { get; init; }

    /// <summary>
    /// Networks (CIDR ranges or addresses) webhooks may reach although they are loopback, private, link-local or
    /// otherwise refused by default (<see cref="WebhookDeniedNetworks"/>), e.g. an internal CI server's subnet.
    /// </summary>
    public string[] AllowedNetworks { get; init; } = [];

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * Math.Pow(RetryFactor, attempt - 1), TimeSpan.FromDays(1).Ticks));
}
