namespace Dockyard.Control.Compose;

/// <summary>One entry under <c>services:</c>, after merge and interpolation. Unset optional values are null or empty.</summary>
public sealed record ComposeService
{
    /// <summary>The key under <c>services:</c> (the stack's service is <c>&lt;stack&gt;_&lt;name&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The image as written after interpolation, e.g. <c>127.0.0.1:5000/team/web:1.2</c>.</summary>
    public required string Image { get; init; }

    /// <summary><c>command</c>: the container's arguments (shell-form strings split like a POSIX shell).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>entrypoint</c>, split the same way.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary><c>env_file</c> contents then <c>environment</c>; a null value is a name without <c>=</c>.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    /// <summary><c>labels</c>: container labels (deploy.labels are the service's).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public ComposeHealthcheck? Healthcheck { get; init; }

    public TimeSpan? StopGracePeriod { get; init; }

    public string? StopSignal { get; init; }

    public IReadOnlyList<ComposePort> Ports { get; init; } = [];

    /// <summary>Networks by their key under the top-level <c>networks:</c>; empty = the stack's default network.</summary>
    public IReadOnlyList<ComposeServiceNetwork> Networks { get; init; } = [];

    /// <summary><c>volumes</c> and <c>tmpfs</c> as mounts, in file order.</summary>
    public IReadOnlyList<ComposeMount> Volumes { get; init; } = [];

    public IReadOnlyList<ComposeFileReference> Secrets { get; init; } = [];

    public IReadOnlyList<ComposeFileReference> Configs { get; init; } = [];

    public bool ReadOnly { get; init; }

    public bool? Init { get; init; }

    public bool Tty { get; init; }

    public bool StdinOpen { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ComposeUlimit> Ulimits { get; init; } = [];

    /// <summary><c>extra_hosts</c> as <c>host:ip</c>, in file order.</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    /// <summary>The legacy <c>restart</c> (used when <c>deploy.restart_policy</c> is absent, as docker does).</summary>
    public string? Restart { get; init; }

    public ComposeLogging? Logging { get; init; }

    public ComposeDeploy Deploy { get; init; } = new();
}
