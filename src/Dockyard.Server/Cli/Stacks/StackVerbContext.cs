namespace Dockyard.Server.Cli.Stacks;

/// <summary>What a remote stack verb works with once its server and token are resolved.</summary>
internal sealed record StackVerbContext(StackApiClient Client, StackCliEnvironment Environment, TextWriter Output, TextWriter Error, ILogger Logger);
