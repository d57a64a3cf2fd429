using System.CommandLine;
using Dockyard.Server.Cli.Signing;
using Dockyard.Server.Cli.Stacks;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard sign IMAGE --key org/name</c>: asks a Dockyard server (<c>--server</c> / <c>DOCKYARD_SERVER</c>, token from
/// <c>--token-file</c> / <c>DOCKYARD_TOKEN</c>, as the stack verbs) to sign IMAGE with a key it holds. A tag is resolved
/// to its digest by the server, which answers the digest it signed. Exit codes: 0 signed (or already signed by that
/// key), 1 refused or failed, 2 usage.
/// </summary>
internal static class SignCommand
{
    public static Command Create(StackCliEnvironment? environment = null)
    {
        var env = environment ?? StackCliEnvironment.Default;
        var remote = new RemoteOptions();
        var image = new Argument<string>("IMAGE") { Description = "repository:tag or repository@sha256:… (a leading registry host is ignored)." };
        var key = new Option<string>("--key") { Description = "The key to sign with, as organization/name (one Dockyard holds).", Required = true };
        var command = new Command("sign", "Sign an image on a Dockyard server with a key it holds (cosign simple signing, as skopeo and podman verify it).") { image, key };
        remote.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, remote, env, parse.GetValue(image)!, parse.GetValue(key)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, RemoteOptions remote, StackCliEnvironment environment, string imageText, string key, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        RemoteSettings settings;
        ImageArgument image;
        try
        {
            settings = remote.Resolve(parse, environment.Variable, error);
            image = ImageArgument.Parse(imageText);
        }
        catch (CliUsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return StackCommand.Usage;
        }

        using var http = StackApiClient.CreateHttpClient(settings, environment.CreateHandler(settings));
        error.WriteLine($"Signing {image} on {settings.Server.Authority} with key {key}…");
        try
        {
            var signature = await new SignApiClient(http).SignAsync(image, key, cancellationToken);
            var by = signature.Team is { } team ? $"{signature.Key} (team {team})" : signature.Key;
            output.WriteLine(signature.Created
                ? $"Signed {signature.Repository}@{signature.Digest} with {by}, key {signature.Fingerprint}."
                : $"Already signed: {signature.Repository}@{signature.Digest} carries a signature by {by}, key {signature.Fingerprint}.");
            error.WriteLine($"Identity {signature.DockerReference}; stored under tag {signature.Tag} ({signature.SignatureManifest}).");
            return StackCommand.Ok;
        }
        catch (StackApiException e)
        {
            foreach (var line in StackOutput.DescribeFailure(e))
            {
                error.WriteLine(line);
            }

            return StackCommand.Failed;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"error: cannot reach {settings.Server}: {e.GetBaseException().Message}");
            return StackCommand.Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"error: {settings.Server} did not answer in time.");
            return StackCommand.Failed;
        }
    }
}
