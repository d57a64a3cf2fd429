using System.Text.Json.Nodes;

namespace Dockyard.Control.Stacks;

/// <summary>Small builders for Engine API JSON that leave out what Go's <c>omitempty</c> would (so specs compare as docker's do).</summary>
internal static class StackJson
{
    /// <summary>Sets <paramref name="name"/> unless the value is null, "", an empty array/object or (when <paramref name="skipZero"/>) 0/false.</summary>
    public static JsonObject Put(this JsonObject target, string name, JsonNode? value, bool skipZero = true)
    {
        var empty = value switch
        {
            null => true,
            JsonArray a => a.Count == 0,
            JsonObject o => o.Count == 0,
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
            JsonValue v when skipZero && v.TryGetValue<bool>(out var b) => !b,
            JsonValue v when skipZero && v.TryGetValue<long>(out var l) => l == 0,
            JsonValue v when skipZero && v.TryGetValue<int>(out var i) => i == 0,
            JsonValue v when skipZero && v.TryGetValue<double>(out var d) => d == 0,
            _ => false,
        };
        if (!empty)
        {
            target[name] = value;
        }

        return target;
    }

    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)v)];

    /// <summary>A label map with keys in ordinal order (as Go marshals maps).</summary>
    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>
    /// The labels of an object of the stack: the Compose file's, then the common labels, then the namespace — later
    /// ones win, so a Compose file cannot set the access collection or leave the stack.
    /// </summary>
    public static JsonObject Labels(string stack, IReadOnlyDictionary<string, string> own, IReadOnlyDictionary<string, string> common)
    {
        var labels = new Dictionary<string, string>(own, StringComparer.Ordinal);
        foreach (var (key, value) in common)
        {
            labels[key] = value;
        }

        labels[StackLabels.Namespace] = stack;
        return Map(labels);
    }
}
