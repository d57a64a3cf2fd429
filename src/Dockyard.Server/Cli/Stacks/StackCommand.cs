using System.CommandLine;
using System.Text.Json;
using Dockyard.Control.Compose;
using Dockyard.Server.Cli.Stacks.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// <c>dockyard stack deploy|ls|ps|rm</c>: remote verbs that talk to a Dockyard server's /api/v1 with an access token
/// (for CI), unlike the data-directory verbs. Exit codes: 0 done, 1 refused or failed, 2 usage.
/// </summary>
internal static class StackCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static Command Create(StackCliEnvironment? environment = null)
    {
        var env = environment ?? StackCliEnvironment.Default;
        return new Command("stack", "Deploy and inspect Compose stacks on a Dockyard server (uses DOCKYARD_SERVER and DOCKYARD_TOKEN).")
        {
            StackDeployCommand.Create(env),
            List(env),
            Tasks(env),
            Remove(env),
        };
    }

    /// <summary>
    /// Invokes <paramref name="parse"/>; a command-line error under <c>dockyard stack</c> exits 2 (usage), as scripts
    /// expect, where System.CommandLine exits 1.
    /// </summary>
    public static async Task<int> InvokeAsync(ParseResult parse, InvocationConfiguration? configuration = null)
    {
        var exit = await parse.InvokeAsync(configuration);
        var underStack = parse.CommandResult.Command.Name == "stack" || parse.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: "stack" };
        return parse.Errors.Count > 0 && exit == Failed && underStack ? Usage : exit;
    }

    /// <summary>Resolves the server and token, runs <paramref name="verb"/>, and turns failures into messages and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, RemoteOptions remote, StackCliEnvironment environment, Func<StackVerbContext, CancellationToken, Task<int>> verb, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        RemoteSettings settings;
        try
        {
            settings = remote.Resolve(parse, environment.Variable, error);
        }
        catch (CliUsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return Usage;
        }

        ILogger logger = parse.GetValue(remote.Debug) ? new TextWriterLogger(error) : NullLogger.Instance;
        using var http = StackApiClient.CreateHttpClient(settings, environment.CreateHandler(settings));
        try
        {
            return await verb(new StackVerbContext(new StackApiClient(http, logger), environment, output, error, logger), cancellationToken);
        }
        catch (CliUsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return Usage;
        }
        catch (ComposeException e)
        {
            error.WriteLine("error: " + e.Message);
            return Failed;
        }
        catch (StackApiException e)
        {
            foreach (var line in StackOutput.DescribeFailure(e))
            {
                error.WriteLine(line);
            }

            return Failed;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"error: cannot reach {settings.Server}: {Innermost(e)}");
            return Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"error: {settings.Server} did not answer in time.");
            return Failed;
        }
    }

    /// <summary>The <c>--format table|json</c> flag of the listing verbs.</summary>
    public static Option<string> FormatOption() => new("--format") { Description = "table (default) or json." };

    private static Command List(StackCliEnvironment env)
    {
        var remote = new RemoteOptions();
        var format = FormatOption();
        var command = new Command("ls", "List the stacks the token may see.") { format };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, remote, env, async (context, ct) =>
        {
            var json = IsJson(parse.GetValue(format));
            var (list, raw) = await context.Client.ListAsync(ct);
            using (raw)
            {
                if (json)
                {
                    WriteJson(context.Output, raw.RootElement.TryGetProperty("items", out var items) ? items : raw.RootElement);
                }
                else
                {
                    StackOutput.WriteList(context.Output, list);
                }
            }

            foreach (var warning in list.Warnings ?? [])
            {
                context.Error.WriteLine("warning: " + warning);
            }

            return Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Tasks(StackCliEnvironment env)
    {
        var remote = new RemoteOptions();
        var format = FormatOption();
        var name = new Argument<string>("name") { Description = "The stack." };
        var command = new Command("ps", "List a stack's tasks: where each runs, its desired and current state, its error.") { name, format };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, remote, env, async (context, ct) =>
        {
            var json = IsJson(parse.GetValue(format));
            var (tasks, raw) = await context.Client.TasksAsync(parse.GetValue(name)!, ct);
            using (raw)
            {
                if (json)
                {
                    WriteJson(context.Output, raw.RootElement.TryGetProperty("items", out var items) ? items : raw.RootElement);
                }
                else
                {
                    StackOutput.WriteTasks(context.Output, tasks);
                }
            }

            foreach (var warning in tasks.Warnings ?? [])
            {
                context.Error.WriteLine("warning: " + warning);
            }

            return Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Remove(StackCliEnvironment env)
    {
        var remote = new RemoteOptions();
        var name = new Argument<string>("name") { Description = "The stack." };
        var command = new Command("rm", "Remove a stack: its services, networks, secrets and configs.") { name };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, remote, env, async (context, ct) =>
        {
            var stack = parse.GetValue(name)!;
            await context.Client.RemoveAsync(stack, ct);
            context.Output.WriteLine($"Removed stack {stack}");
            return Ok;
        }, cancellationToken));
        return command;
    }

    private static bool IsJson(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "table" => false,
        "json" => true,
        _ => throw new CliUsageException($"--format '{format}': use table or json."),
    };

    private static void WriteJson(TextWriter output, JsonElement element) =>
        output.WriteLine(JsonSerializer.Serialize(element, JsonElementIndented.Default.JsonElement));

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
