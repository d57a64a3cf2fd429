using System.Text.RegularExpressions;
using Dockyard.Control.Compose;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// Turns <c>dockyard stack deploy</c>'s arguments into the request body: reads the Compose files (project directory =
/// the first one's), the environment (<c>--env-file</c> files in order, then <c>-e</c>, then <c>--secret-env</c>,
/// whose values come from the CLI's own environment so they never appear on a command line) and the attachments.
/// </summary>
internal static partial class StackDeployInput
{
    public static StackDeployWire Build(StackDeployArguments arguments, Func<string, string?> variable, ILogger logger)
    {
        if (!StackName().IsMatch(arguments.Name))
        {
            throw new CliUsageException($"stack name '{arguments.Name}': use lowercase letters, digits, '_' and '-' (at most 63, starting with a letter or digit).");
        }

        if (arguments.ComposeFiles.Count == 0)
        {
            throw new CliUsageException("give the Compose file with -c FILE (more -c files are merged in order).");
        }

        var files = arguments.ComposeFiles.Select(ReadCompose).ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var envFile in arguments.EnvFiles)
        {
            foreach (var (key, value) in EnvFile.Parse(envFile, ReadText(envFile, "--env-file")))
            {
                environment[key] = value;
            }
        }

        foreach (var assignment in arguments.Variables)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? assignment : assignment[..equals];
            if (key.Length == 0)
            {
                throw new CliUsageException($"-e '{assignment}': expected KEY=VALUE or KEY (taken from the environment).");
            }

            environment[key] = equals >= 0 ? assignment[(equals + 1)..]
                : variable(key) ?? throw new CliUsageException($"-e {key}: the variable is not set in this environment.");
        }

        var secrets = new List<string>();
        foreach (var key in arguments.SecretVariables.Distinct(StringComparer.Ordinal))
        {
            environment[key] = variable(key) ?? (environment.TryGetValue(key, out var fromFile) ? fromFile
                : throw new CliUsageException($"--secret-env {key}: set {key} in the environment (or in an --env-file)."));
            secrets.Add(key);
        }

        var projectDirectory = Path.GetDirectoryName(files[0].FullPath)!;
        var attachments = ComposeAttachments.Collect(files, projectDirectory, logger);
        return new StackDeployWire(
            arguments.Name,
            Blank(arguments.Collection),
            Blank(arguments.Version),
            Blank(arguments.Description),
            Blank(arguments.SourceUrl),
            Blank(arguments.SourceRevision),
            files.Select(f => new StackFileWire(f.Name, f.Text)).ToList(),
            environment,
            secrets,
            attachments.ToDictionary(a => a.Key, a => Convert.ToBase64String(a.Value), StringComparer.Ordinal),
            arguments.Follow.Distinct(StringComparer.Ordinal).ToList());
    }

    private static ComposeFileInput ReadCompose(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && new FileInfo(full).Length > ComposeLoader.MaxSourceBytes)
        {
            throw new ComposeException(path, 0, 0, $"the file is {new FileInfo(full).Length} bytes; a Compose file may have at most {ComposeLoader.MaxSourceBytes} ({ComposeLoader.MaxSourceBytes / 1024 / 1024} MiB)");
        }

        return new ComposeFileInput(path.Replace('\\', '/'), full, ReadText(path, "-c"));
    }

    private static string ReadText(string path, string flag)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{flag} {path}: {e.Message}");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex StackName();
}
