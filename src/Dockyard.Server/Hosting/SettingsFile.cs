using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace Dockyard.Server.Hosting;

/// <summary>
/// The JSON settings file named by <c>--config FILE</c> or <c>DOCKYARD_CONFIG</c> (same keys as <c>appsettings.json</c>).
/// It takes the place of the working directory's <c>appsettings.json</c>/<c>appsettings.&lt;Environment&gt;.json</c>,
/// which are then not read: a service's settings must not depend on the directory it happens to start in. Environment
/// variables and command-line flags still override it (docs/configuration.md).
/// </summary>
internal static class SettingsFile
{
    /// <summary>The environment variable naming the file; <c>--config</c> sets it for the process (Cli/ConfigFileOption).</summary>
    public const string Variable = "DOCKYARD_CONFIG";

    /// <summary>The configured file, or null when none is.</summary>
    public static string? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    /// <summary>
    /// Throws <see cref="SettingsFileException"/> (one sentence) when <paramref name="path"/> is missing, unreadable
    /// or not a JSON object; what the configuration system would otherwise report as a stack trace.
    /// </summary>
    public static void Check(string path)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SettingsFileException($"The settings file {full} does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new SettingsFileException($"The settings file {full} cannot be read by user {Environment.UserName} (permission denied).");
        }
        catch (IOException e)
        {
            throw new SettingsFileException($"The settings file {full} cannot be read: {e.Message}");
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SettingsFileException($"The settings file {full} must hold a JSON object ({{\"Dockyard\": {{…}}}}), not a {document.RootElement.ValueKind}.");
            }
        }
        catch (JsonException e)
        {
            throw new SettingsFileException($"The settings file {full} is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    /// <summary>
    /// When a file is configured: checks it and puts it where the working directory's appsettings files were (which
    /// are removed), so environment variables and flags added after them still win.
    /// </summary>
    public static void Apply(IConfigurationBuilder configuration)
    {
        if (Configured is not { } path)
        {
            return;
        }

        Check(path);
        var full = Path.GetFullPath(path);
        var sources = configuration.Sources;
        var position = sources.Count;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } json } && Path.GetFileName(json).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                sources.RemoveAt(i);
                position = i;
            }
        }

        // No exclusion filter: the default one hides dot files, and /etc/dockyard/.dockyard.json is a valid name.
        sources.Insert(position, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(full)!, ExclusionFilters.None),
            Path = Path.GetFileName(full),
            Optional = false,
            ReloadOnChange = false,
        });
    }
}
