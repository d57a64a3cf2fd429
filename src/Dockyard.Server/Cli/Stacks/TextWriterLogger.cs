namespace Dockyard.Server.Cli.Stacks;

/// <summary>The <c>--debug</c> log of a remote verb: plain lines on standard error (<c>debug: GET https://… answered 200 in 12 ms</c>).</summary>
internal sealed class TextWriterLogger(TextWriter writer) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
}
