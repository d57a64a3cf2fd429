using Dockyard.Control.Compose.Yaml;

namespace Dockyard.Control.Compose;

/// <summary>
/// Merges Compose files in order, before typing, as the Compose specification's merge rules say: mappings merge,
/// scalars override, sequences append — except shell commands (replaced), list-or-map fields (normalised to mappings
/// and merged), and unique resources (ports, volumes, secrets, configs, capabilities: the later entry with the same key wins).
/// </summary>
internal static class ComposeMerger
{
    private static readonly HashSet<string> Replaced = ["command", "entrypoint", "dns", "dns_search", "env_file", "tmpfs"];

    private static readonly Dictionary<string, char> Mappings = new(StringComparer.Ordinal)
    {
        ["environment"] = '=',
        ["labels"] = '=',
        ["sysctls"] = '=',
        ["extra_hosts"] = ':',
        ["networks"] = '\0',
    };

    public static YamlMap Merge(YamlMap first, YamlMap second) => MergeMaps(first, second, (key, a, b) => key switch
    {
        "services" when a is YamlMap sa && b is YamlMap sb =>
            MergeMaps(sa, sb, (_, x, y) => x is YamlMap ma && y is YamlMap mb ? MergeService(ma, mb) : y),
        _ => MergeGeneric(a, b),
    });

    private static YamlMap MergeService(YamlMap first, YamlMap second) => MergeMaps(first, second, (key, a, b) =>
    {
        if (Replaced.Contains(key))
        {
            return b;
        }

        if (Mappings.TryGetValue(key, out var separator))
        {
            return MergeGeneric(AsMap(a, separator), AsMap(b, separator));
        }

        return key switch
        {
            "ports" or "volumes" or "secrets" or "configs" or "cap_add" or "cap_drop" when a is YamlSequence sa && b is YamlSequence sb =>
                MergeUnique(sa, sb, item => ComposeMergeKeys.Of(key, item)),
            "healthcheck" when a is YamlMap ha && b is YamlMap hb =>
                MergeMaps(ha, hb, (k, x, y) => k == "test" ? y : MergeGeneric(x, y)),
            "deploy" when a is YamlMap da && b is YamlMap db =>
                MergeMaps(da, db, (k, x, y) => k == "labels" ? MergeGeneric(AsMap(x, '='), AsMap(y, '=')) : MergeGeneric(x, y)),
            _ => MergeGeneric(a, b),
        };
    });

    private static YamlNode MergeGeneric(YamlNode a, YamlNode b) => (a, b) switch
    {
        (YamlMap ma, YamlMap mb) => MergeMaps(ma, mb, (_, x, y) => MergeGeneric(x, y)),
        (YamlSequence sa, YamlSequence sb) => sa with { Items = [.. sa.Items, .. sb.Items], SubtreeSize = sa.Size + sb.Size },
        _ => b,
    };

    private static YamlMap MergeMaps(YamlMap first, YamlMap second, Func<string, YamlNode, YamlNode, YamlNode> merge)
    {
        var entries = first.Entries.ToList();
        foreach (var entry in second.Entries)
        {
            var at = entries.FindIndex(e => e.Key.Value == entry.Key.Value);
            if (at < 0)
            {
                entries.Add(entry);
            }
            else
            {
                // A null on either side adds nothing (`web:` alone in an override file keeps the service as it was).
                var value = entries[at].Value is YamlScalar { IsNull: true } ? entry.Value
                    : entry.Value is YamlScalar { IsNull: true } ? entries[at].Value
                    : merge(entry.Key.Value, entries[at].Value, entry.Value);
                entries[at] = entries[at] with { Value = value };
            }
        }

        return first.With(entries);
    }

    private static YamlSequence MergeUnique(YamlSequence first, YamlSequence second, Func<YamlNode, string> key)
    {
        var items = first.Items.ToList();
        var keys = items.Select(key).ToList();
        foreach (var item in second.Items)
        {
            var k = key(item);
            var at = keys.IndexOf(k);
            if (at < 0)
            {
                items.Add(item);
                keys.Add(k);
            }
            else
            {
                items[at] = item;
            }
        }

        return first with { Items = items, SubtreeSize = 1 + items.Sum(i => i.Size) };
    }

    /// <summary>A list-form mapping (<c>- KEY=value</c>) as a mapping, each entry positioned at its item.</summary>
    private static YamlNode AsMap(YamlNode node, char separator)
    {
        if (node is not YamlSequence seq)
        {
            return node;
        }

        var entries = new List<YamlEntry>();
        foreach (var item in seq.Items)
        {
            if (item is not YamlScalar s)
            {
                return node; // the reader reports the wrong type with its position
            }

            var cut = separator == '\0' ? -1 : s.Value.IndexOf(separator, StringComparison.Ordinal);
            var name = cut < 0 ? s.Value : s.Value[..cut];
            var value = cut < 0 ? s with { Value = "", Plain = true } : s with { Value = s.Value[(cut + 1)..], Plain = false };
            entries.RemoveAll(e => e.Key.Value == name);
            entries.Add(new YamlEntry(s with { Value = name, Plain = false }, value));
        }

        return new YamlMap(seq.File, seq.Line, seq.Column, entries, 1 + (2 * entries.Count));
    }
}
