namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// What the stack verbs take from outside the command line, replaceable in tests: environment variables, the HTTP
/// handler (a real socket handler with the TLS settings by default), the clock and the status poll interval.
/// </summary>
internal sealed record StackCliEnvironment(
    Func<string, string?> Variable,
    Func<RemoteSettings, HttpMessageHandler> CreateHandler,
    TimeProvider Time,
    TimeSpan PollInterval)
{
    public static StackCliEnvironment Default { get; } = new(
        Environment.GetEnvironmentVariable,
        RemoteHandler.Create,
        TimeProvider.System,
        TimeSpan.FromSeconds(1));
}
