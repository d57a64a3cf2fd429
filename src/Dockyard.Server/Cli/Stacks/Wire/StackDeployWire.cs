namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>
/// The body of POST /api/v1/stacks and PUT /api/v1/stacks/{name}. <see cref="Attachments"/> are the files the Compose
/// files name (env_file, file-based secrets and configs), keyed by the path as written, base64.
/// </summary>
internal sealed record StackDeployWire(
    string Name,
    string? Collection,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    IReadOnlyList<StackFileWire> Files,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> SecretVariables,
    IReadOnlyDictionary<string, string> Attachments,
    IReadOnlyList<string> Follow);
