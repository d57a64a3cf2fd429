using System.CommandLine;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>--config FILE</c>, accepted by <c>serve</c> and every other verb: the JSON settings file to read instead of the
/// working directory's <c>appsettings.json</c> (<see cref="SettingsFile"/>). The same as <c>DOCKYARD_CONFIG=FILE</c>;
/// the flag wins over the variable.
/// </summary>
internal static class ConfigFileOption
{
    /// <summary>Exit code of a bad settings file (as of any other unusable configuration).</summary>
    public const int ConfigurationError = 2;

    public static Option<string> Create() => new("--config")
    {
        Description = $"JSON settings file (same keys as appsettings.json), read instead of ./appsettings.json; also {SettingsFile.Variable}.",
        Recursive = true,
    };

    /// <summary>
    /// Makes the flag's file the process's settings file and checks whichever file is configured; returns the exit
    /// code to end with (after one sentence on <paramref name="error"/>) when it cannot be used, else null.
    /// </summary>
    public static int? Apply(ParseResult parse, Option<string> option, TextWriter error)
    {
        if (parse.GetValue(option) is { Length: > 0 } file)
        {
            // The builders (DockyardApp) read the variable, so every verb sees the flag without passing it along.
            Environment.SetEnvironmentVariable(SettingsFile.Variable, Path.GetFullPath(file));
        }

        if (SettingsFile.Configured is not { } configured)
        {
            return null;
        }

        try
        {
            SettingsFile.Check(configured);
            return null;
        }
        catch (SettingsFileException e)
        {
            error.WriteLine($"dockyard: {e.Message}");
            return ConfigurationError;
        }
    }
}
