using System.CommandLine;
using Dockyard.Server.Cli.Stacks;

namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary>Runs <c>dockyard stack …</c> in process against a <see cref="FakeStackServer"/> with the given environment variables.</summary>
internal static class StackCli
{
    public static readonly Dictionary<string, string> Environment = new()
    {
        [RemoteOptions.ServerVariable] = "https://dockyard.test",
        [RemoteOptions.TokenVariable] = "dy_secret_token",
    };

    public static async Task<StackCliResult> RunAsync(FakeStackServer server, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = environment ?? Environment;
        var cli = new StackCliEnvironment(k => variables.GetValueOrDefault(k), _ => server, TimeProvider.System, TimeSpan.FromMilliseconds(10));
        var root = new RootCommand { StackCommand.Create(cli) };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await StackCommand.InvokeAsync(root.Parse(args), new InvocationConfiguration { Output = output, Error = error });
        return new StackCliResult(exit, output.ToString(), error.ToString());
    }

    public static Task<StackCliResult> RunAsync(FakeStackServer server, params string[] args) => RunAsync(server, null, args);
}
