namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>A child process exited non-zero or timed out; the message carries its stdout and stderr.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException(string message, ProcessResult? result = null, Exception? inner = null)
        : base(message, inner)
    {
        Result = result;
    }

    public ProcessResult? Result { get; }
}
