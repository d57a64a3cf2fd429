namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// What a deploy (create or update) is asked to run: the Compose files in merge order, the environment they are
/// interpolated from (the names in <see cref="SecretVariables"/> are secret: stored sealed, never shown), file
/// attachments (env files, file-based secrets and configs, keyed by the path as written; base64), the services that
/// follow their tag, and the stack's metadata. Null metadata keeps the stack's current value on an update.
/// </summary>
internal sealed record StackDeployRequest
{
    public string? Name { get; init; }

    public string? Collection { get; init; }

    public string? Version { get; init; }

    public string? Description { get; init; }

    public string? SourceUrl { get; init; }

    public string? SourceRevision { get; init; }

    public IReadOnlyList<StackFile> Files { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> SecretVariables { get; init; } = [];

    /// <summary>Path as written in the Compose file → base64 content.</summary>
    public IReadOnlyDictionary<string, string> Attachments { get; init; } = new Dictionary<string, string>();

    /// <summary>Service short names whose tag is followed (redeployed when it moves).</summary>
    public IReadOnlyList<string> Follow { get; init; } = [];
}
