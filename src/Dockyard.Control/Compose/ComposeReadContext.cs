using System.Globalization;
using Dockyard.Control.Compose.Yaml;

namespace Dockyard.Control.Compose;

/// <summary>
/// Typed reads of positioned YAML nodes: every wrong type or value is a <see cref="ComposeException"/> at the node,
/// every key Dockyard does not apply a <see cref="ComposeWarning"/> at the key (<c>x-*</c> keys are ignored silently).
/// </summary>
internal sealed class ComposeReadContext(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, byte[]> files)
{
    private readonly List<ComposeWarning> _warnings = [];

    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public IReadOnlyDictionary<string, byte[]> Files { get; } = files;

    public IReadOnlyList<ComposeWarning> Warnings => _warnings.Distinct().ToList();

    public static ComposeException Fail(YamlNode node, string reason) => new(node.File, node.Line, node.Column, reason);

    public void Warn(YamlNode node, string message) => _warnings.Add(new ComposeWarning(node.File, node.Line, node.Column, message));

    /// <summary>A key this reader does not know: a warning, unless it is an extension (<c>x-*</c>).</summary>
    public void Unknown(YamlEntry entry, string path)
    {
        if (!entry.Key.Value.StartsWith("x-", StringComparison.Ordinal))
        {
            Warn(entry.Key, $"{Join(path, entry.Key.Value)}: not supported by Dockyard stacks; ignored");
        }
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static bool IsNull(YamlNode node) => node is YamlScalar { IsNull: true };

    public static YamlMap Map(YamlNode node, string path) => node switch
    {
        YamlMap map => map,
        YamlScalar { IsNull: true } => new YamlMap(node.File, node.Line, node.Column, [], 1),
        _ => throw Fail(node, $"{path}: a mapping expected, not {node.Kind}"),
    };

    public static string String(YamlNode node, string path) => node is YamlScalar { IsNull: false } s
        ? s.Value
        : throw Fail(node, $"{path}: a string expected, not {node.Kind}");

    /// <summary>A string, or null for a YAML null (<c>key:</c> with nothing after it).</summary>
    public static string? OptionalString(YamlNode node, string path) => IsNull(node) ? null : String(node, path);

    public static bool Bool(YamlNode node, string path) => node is YamlScalar s
        ? s.Value.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Fail(node, $"{path}: true or false expected, not '{s.Value}'"),
        }
        : throw Fail(node, $"{path}: true or false expected, not {node.Kind}");

    public static long Integer(YamlNode node, string path, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = String(node, path);
        var value = ComposeUnits.ParseInteger(text);
        return value is { } v && v >= min && v <= max
            ? v
            : throw Fail(node, min == 0 ? $"{path}: a non-negative integer expected, not '{text}'" : $"{path}: an integer expected, not '{text}'");
    }

    public static double Number(YamlNode node, string path)
    {
        var text = String(node, path);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Fail(node, $"{path}: a number expected, not '{text}'");
    }

    public static TimeSpan Duration(YamlNode node, string path)
    {
        var text = String(node, path);
        return ComposeUnits.ParseDuration(text) is { } d && d >= TimeSpan.Zero
            ? d
            : throw Fail(node, $"{path}: a duration like 10s, 1m30s or 500ms expected, not '{text}'");
    }

    public static long Bytes(YamlNode node, string path)
    {
        var text = String(node, path);
        return ComposeUnits.ParseBytes(text) ?? throw Fail(node, $"{path}: a size like 512M or 1g expected, not '{text}'");
    }

    public static string Enum(YamlNode node, string path, params string[] allowed)
    {
        var text = String(node, path);
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw Fail(node, $"{path}: one of {string.Join(", ", allowed)} expected, not '{text}'");
    }

    /// <summary>A sequence of strings; a single string is a one-item list when <paramref name="single"/>.</summary>
    public static IReadOnlyList<string> Strings(YamlNode node, string path, bool single = true) => node switch
    {
        YamlSequence seq => seq.Items.Select((item, i) => String(item, $"{path}[{i}]")).ToList(),
        YamlScalar { IsNull: true } => [],
        YamlScalar s when single => [s.Value],
        _ => throw Fail(node, $"{path}: a list of strings expected, not {node.Kind}"),
    };

    /// <summary>A mapping or a <c>KEY=value</c> list (<paramref name="separator"/>); a name without value maps to null.</summary>
    public static List<KeyValuePair<string, string?>> KeyValues(YamlNode node, string path, char separator = '=')
    {
        var result = new List<KeyValuePair<string, string?>>();
        switch (node)
        {
            case YamlMap map:
                foreach (var entry in map.Entries)
                {
                    var value = entry.Value is YamlScalar s
                        ? (s.IsNull ? null : s.Value)
                        : throw Fail(entry.Value, $"{Join(path, entry.Key.Value)}: a string expected, not {entry.Value.Kind}");
                    result.Add(new(entry.Key.Value, value));
                }

                break;
            case YamlSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var text = String(seq.Items[i], $"{path}[{i}]");
                    var cut = text.IndexOf(separator, StringComparison.Ordinal);
                    result.Add(cut < 0 ? new(text, null) : new(text[..cut], text[(cut + 1)..]));
                }

                break;
            case YamlScalar { IsNull: true }:
                break;
            default:
                throw Fail(node, $"{path}: a mapping or a list of KEY{separator}VALUE expected, not {node.Kind}");
        }

        return result;
    }

    /// <summary>Labels, driver options, sysctls: a mapping or list whose missing values are empty strings; later keys win.</summary>
    public static Dictionary<string, string> StringMap(YamlNode node, string path, char separator = '=')
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in KeyValues(node, path, separator))
        {
            result[key] = value ?? "";
        }

        return result;
    }
}
