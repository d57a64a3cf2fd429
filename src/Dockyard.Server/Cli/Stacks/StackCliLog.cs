namespace Dockyard.Server.Cli.Stacks;

/// <summary>Log messages of the remote stack verbs (event ids 4690–4699), shown on standard error with <c>--debug</c>.</summary>
internal static partial class StackCliLog
{
    [LoggerMessage(EventId = 4690, Level = LogLevel.Debug, Message = "{Method} {Uri}")]
    public static partial void Request(ILogger logger, string method, Uri uri);

    [LoggerMessage(EventId = 4691, Level = LogLevel.Debug, Message = "{Method} {Uri} answered {Status} in {Milliseconds} ms")]
    public static partial void Response(ILogger logger, string method, Uri uri, int status, long milliseconds);

    [LoggerMessage(EventId = 4692, Level = LogLevel.Debug, Message = "Stack {Stack} does not exist yet: creating it (POST)")]
    public static partial void Creating(ILogger logger, string stack);

    [LoggerMessage(EventId = 4693, Level = LogLevel.Debug, Message = "Attachment {Path} ({Bytes} bytes) from {File}")]
    public static partial void Attachment(ILogger logger, string path, long bytes, string file);

    [LoggerMessage(EventId = 4694, Level = LogLevel.Debug, Message = "Status poll of {Stack} failed, retrying: {Reason}")]
    public static partial void PollFailed(ILogger logger, string stack, string reason);
}
