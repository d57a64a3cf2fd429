using System.CommandLine;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// <c>dockyard stack deploy -c compose.yml [-c override.yml] [--env-file F] [-e K=V] [--secret-env K] [--collection C]
/// [--version V] [--description D] [--source-url U] [--source-revision R] [--follow SERVICE] [--wait 120s | --detach] NAME</c>:
/// sends the Compose files, environment and attachments (POST /api/v1/stacks for a new stack, PUT for a new revision
/// of an existing one), prints the revision, services and warnings, then follows the stack until it runs (progress on
/// standard error).
/// </summary>
internal static class StackDeployCommand
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(120);

    public static Command Create(StackCliEnvironment env)
    {
        var remote = new RemoteOptions();
        var name = new Argument<string>("name") { Description = "The stack's name (lowercase letters, digits, '_', '-')." };
        var compose = new Option<string[]>("--compose-file", "-c") { Description = "A Compose file; more are merged in order. Paths in them are relative to the first one's directory.", AllowMultipleArgumentsPerToken = false };
        var envFile = new Option<string[]>("--env-file") { Description = "KEY=VALUE lines for variable interpolation (repeatable)." };
        var variables = new Option<string[]>("--env", "-e") { Description = "A variable KEY=VALUE, or KEY to take it from this environment (repeatable)." };
        var secretEnv = new Option<string[]>("--secret-env") { Description = "A variable whose value comes from this environment and is stored encrypted, never shown (repeatable)." };
        var collection = new Option<string>("--collection") { Description = "The collection the stack belongs to (default: your private collection; kept on update)." };
        var version = new Option<string>("--version") { Description = "The application's version, e.g. 1.2.0." };
        var description = new Option<string>("--description") { Description = "What the application is." };
        var sourceUrl = new Option<string>("--source-url") { Description = "Where its source lives (a git URL)." };
        var sourceRevision = new Option<string>("--source-revision") { Description = "The source revision deployed (a commit)." };
        var follow = new Option<string[]>("--follow") { Description = "Redeploy this service when its image tag moves in Dockyard (repeatable)." };
        var wait = new Option<string>("--wait") { Description = "How long to wait for every service to run (default 120s)." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Do not wait for the services to run." };
        var command = new Command("deploy", "Create or update a stack from Compose files.")
        {
            name, compose, envFile, variables, secretEnv, collection, version, description, sourceUrl, sourceRevision, follow, wait, detach,
        };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => StackCommand.RunAsync(parse, remote, env, async (context, ct) =>
        {
            var waitFor = DefaultWait;
            if (parse.GetValue(wait) is { } waitText && !DurationParser.TryParse(waitText, out waitFor))
            {
                throw new CliUsageException($"--wait '{waitText}' is not a duration (90s, 5m).");
            }

            var arguments = new StackDeployArguments(
                parse.GetValue(name)!,
                parse.GetValue(compose) ?? [],
                parse.GetValue(envFile) ?? [],
                parse.GetValue(variables) ?? [],
                parse.GetValue(secretEnv) ?? [],
                parse.GetValue(collection),
                parse.GetValue(version),
                parse.GetValue(description),
                parse.GetValue(sourceUrl),
                parse.GetValue(sourceRevision),
                parse.GetValue(follow) ?? []);
            var body = StackDeployInput.Build(arguments, env.Variable, context.Logger);
            var create = await context.Client.GetAsync(body.Name, ct) is null;
            if (create)
            {
                StackCliLog.Creating(context.Logger, body.Name);
            }

            var deployed = await context.Client.DeployAsync(body, create, ct);
            StackOutput.WriteDeployed(context.Output, context.Error, body.Name, deployed, create);
            if (parse.GetValue(detach))
            {
                return StackCommand.Ok;
            }

            var converged = await new StackConvergence(context.Client, env, context.Error, context.Logger).WaitAsync(body.Name, waitFor, ct);
            return converged ? StackCommand.Ok : StackCommand.Failed;
        }, cancellationToken));
        return command;
    }
}
