namespace Dockyard.Server.Cli.Stacks;

/// <summary>The command line cannot be carried out as given (missing server or token, bad flag value): exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
