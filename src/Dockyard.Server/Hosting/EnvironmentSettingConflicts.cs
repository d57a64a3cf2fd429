using System.Collections;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Refuses two environment variables that name the same setting with different values (<c>DOCKYARD__AUTH__ENABLED</c>
/// and <c>Dockyard__Auth__Enabled</c>). Linux keeps both, configuration keys are case-insensitive, and .NET
/// enumerates the environment in a per-process random order: which one wins would change from start to start —
/// for a setting like <c>Dockyard:Auth:Enabled</c> that is a security hole, not a nuisance.
/// </summary>
internal static class EnvironmentSettingConflicts
{
    public static void ThrowIfAny(IDictionary environment)
    {
        var seen = new Dictionary<string, (string Name, string? Value)>(StringComparer.OrdinalIgnoreCase);
        var conflicts = new List<string>();
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string;
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            if (!key.StartsWith("Dockyard:", StringComparison.OrdinalIgnoreCase))
            {
                continue;   // only Dockyard's own settings: other software's variables are not ours to judge
            }

            if (seen.TryGetValue(key, out var first))
            {
                if (!string.Equals(first.Value, value, StringComparison.Ordinal))
                {
                    var (a, b) = string.CompareOrdinal(first.Name, name) < 0 ? (first.Name, name) : (name, first.Name);
                    conflicts.Add($"{a} and {b}");
                }
            }
            else
            {
                seen[key] = (name, value);
            }
        }

        if (conflicts.Count > 0)
        {
            conflicts.Sort(StringComparer.Ordinal);
            throw new ConflictingEnvironmentSettingsException(
                $"These environment variables set the same setting to different values, so which one applies would be random: " +
                $"{string.Join("; ", conflicts)}. Remove one of each pair.");
        }
    }
}

/// <summary>The environment names one setting twice with different values; the message names the variables.</summary>
internal sealed class ConflictingEnvironmentSettingsException(string message) : Exception(message);
