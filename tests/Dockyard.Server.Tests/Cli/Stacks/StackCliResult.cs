namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary>Exit code and the two output streams of one CLI run.</summary>
internal sealed record StackCliResult(int Exit, string Output, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
