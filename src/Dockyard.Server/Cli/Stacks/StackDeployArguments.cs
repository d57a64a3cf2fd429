namespace Dockyard.Server.Cli.Stacks;

/// <summary>What <c>dockyard stack deploy</c> was given on its command line.</summary>
internal sealed record StackDeployArguments(
    string Name,
    IReadOnlyList<string> ComposeFiles,
    IReadOnlyList<string> EnvFiles,
    IReadOnlyList<string> Variables,
    IReadOnlyList<string> SecretVariables,
    string? Collection,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    IReadOnlyList<string> Follow);
