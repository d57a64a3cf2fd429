namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Outcome of a finished child process.</summary>
public sealed record ProcessResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public string CommandLine => ProcessRunner.FormatCommandLine(FileName, Arguments);

    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}
