using System.CommandLine;
using System.CommandLine.Invocation;
using Dockyard.Server.Data;

namespace Dockyard.Server.Cli;

/// <summary>
/// Every verb that refuses its data directory or database (<see cref="DataRefusedException"/>) ends the same way: one
/// line on standard error, <c>dockyard: …</c>, and exit 2 — never a stack trace, whatever else the verb catches.
/// </summary>
internal static class DataRefusals
{
    public const int ExitCode = 2;

    /// <summary>Wraps the action of <paramref name="command"/> and of every command below it.</summary>
    public static void HandleIn(Command command)
    {
        if (command.Action is AsynchronousCommandLineAction action)
        {
            command.Action = new Handler(action);
        }

        foreach (var child in command.Subcommands)
        {
            HandleIn(child);
        }
    }

    private sealed class Handler(AsynchronousCommandLineAction inner) : AsynchronousCommandLineAction
    {
        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.InvokeAsync(parseResult, cancellationToken);
            }
            catch (DataRefusedException refused)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("dockyard: " + refused.Message);
                return ExitCode;
            }
        }
    }
}
