using System.CommandLine;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary>The <c>--data DIR</c> flag shared by every verb that works on a data directory.</summary>
internal static class DataDirectoryOption
{
    public static Option<string> Create() => new("--data")
    {
        Description = "Data directory for the embedded database and blob storage (default ./data).",
    };

    /// <summary>Adds the flag's value, when given, to the settings that override configuration.</summary>
    public static void Apply(ParseResult parse, Option<string> option, IDictionary<string, string?> settings)
    {
        if (parse.GetValue(option) is { Length: > 0 } directory)
        {
            settings[DataDirectoryOptions.Key] = directory;
        }
    }

    /// <summary>
    /// The services of the data directory the flag names (else the configured one), with the database initialized
    /// (migrated when <c>MigrateOnStart</c>): what every verb that reads or changes the data starts with.
    /// </summary>
    public static Task<IHost> OpenAsync(ParseResult parse, Option<string> option, CancellationToken cancellationToken) =>
        OpenAsync(parse, option, DataDirectoryAccess.Write, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync(ParseResult, Option{string}, CancellationToken)"/> for a verb that needs
    /// <paramref name="access"/>: with <see cref="DataDirectoryAccess.Existing"/> nothing is created or migrated, and a
    /// missing directory or database, or a schema other than this build's, is refused.
    /// </summary>
    /// <exception cref="DataRefusedException">The data directory or database does not allow the verb (printed by <see cref="DataRefusals"/>).</exception>
    public static async Task<IHost> OpenAsync(ParseResult parse, Option<string> option, DataDirectoryAccess access, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>();
        Apply(parse, option, settings);
        var host = DockyardApp.BuildTool(settings, access);
        try
        {
            var initializer = host.Services.GetRequiredService<DatabaseInitializer>();
            await (access == DataDirectoryAccess.Write ? initializer.StartAsync(cancellationToken) : initializer.RequireCurrentSchemaAsync(cancellationToken));
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
