using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Dockyard.Server.ServerStatus;

/// <summary>
/// The <c>Dockyard:*</c> settings in effect, as set (from any provider: settings file, environment, command line),
/// each masked by <see cref="ConfigurationMasker"/> and named with the provider that set it. Settings left unset keep
/// the defaults documented in docs/configuration.md and are not listed.
/// </summary>
internal static class ConfigurationView
{
    public const string Section = "Dockyard";

    public static IReadOnlyList<ConfigurationSetting> Of(IConfiguration configuration)
    {
        var providers = (configuration as IConfigurationRoot)?.Providers.Reverse().ToList() ?? [];
        return [.. configuration.GetSection(Section).AsEnumerable()
            .Where(p => p.Value is not null)
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p =>
            {
                var (value, masked) = ConfigurationMasker.Apply(p.Key, p.Value!);
                return new ConfigurationSetting(p.Key, value, SourceOf(providers, p.Key), masked);
            })];
    }

    /// <summary>The provider whose value wins (the last one added that has the key).</summary>
    private static string SourceOf(List<IConfigurationProvider> providers, string key)
    {
        var provider = providers.FirstOrDefault(p => p.TryGet(key, out _));
        return provider switch
        {
            null => "unknown",
            EnvironmentVariablesConfigurationProvider => "environment",
            FileConfigurationProvider file => $"file {file.Source.Path}",
            _ when provider.GetType().Name.StartsWith("CommandLine", StringComparison.Ordinal) => "command line",
            _ when provider.GetType().Name.StartsWith("Memory", StringComparison.Ordinal) => "in-memory",
            _ => provider.GetType().Name.Replace("ConfigurationProvider", string.Empty, StringComparison.Ordinal),
        };
    }
}
