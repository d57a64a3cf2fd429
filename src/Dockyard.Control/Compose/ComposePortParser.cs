using Dockyard.Control.Compose.Yaml;
using static Dockyard.Control.Compose.ComposeReadContext;

namespace Dockyard.Control.Compose;

/// <summary><c>ports</c> entries: short syntax <c>[ip:][published:]target[/protocol]</c> (ranges allowed) or the long syntax.</summary>
internal static class ComposePortParser
{
    public static IEnumerable<ComposePort> Parse(YamlNode item, string path, ComposeReadContext? context)
    {
        if (item is YamlMap map)
        {
            return [ParseLong(map, path, context)];
        }

        return ParseShort(item, String(item, path), path);
    }

    private static ComposePort ParseLong(YamlMap map, string path, ComposeReadContext? context)
    {
        int? target = null;
        int? published = null;
        var protocol = "tcp";
        var mode = "ingress";
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "target":
                    target = (int)Integer(entry.Value, at, 1, 65535);
                    break;
                case "published":
                    published = IsNull(entry.Value) ? null : (int)Integer(entry.Value, at, 0, 65535);
                    break;
                case "protocol":
                    protocol = Enum(entry.Value, at, "tcp", "udp", "sctp");
                    break;
                case "mode":
                    mode = Enum(entry.Value, at, "ingress", "host");
                    break;
                default:
                    context?.Unknown(entry, path);
                    break;
            }
        }

        return target is { } t
            ? new ComposePort(t, published is 0 ? null : published, protocol, mode)
            : throw Fail(map, $"{path}: target expected");
    }

    private static List<ComposePort> ParseShort(YamlNode node, string text, string path)
    {
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            text = text[..slash];
            if (protocol is not ("tcp" or "udp" or "sctp"))
            {
                throw Fail(node, $"{path}: protocol tcp, udp or sctp expected, not '{protocol}'");
            }
        }

        // An IPv6 host address is bracketed; the host address is not applied by Swarm and is dropped, as docker does.
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            text = close < 0 ? throw Fail(node, $"{path}: '[address]:' expected") : text[(close + 2)..];
        }

        var parts = text.Split(':');
        var (hostPart, targetPart) = parts.Length switch
        {
            1 => ("", parts[0]),
            2 => (parts[0], parts[1]),
            3 => (parts[1], parts[2]),
            _ => throw Fail(node, $"{path}: [host:]published:target[/protocol] expected, not '{text}'"),
        };
        var targets = Range(node, targetPart, path);
        var published = hostPart.Length == 0 ? null : Range(node, hostPart, path);
        if (published is not null && published.Count != targets.Count && published.Count != 1)
        {
            throw Fail(node, $"{path}: the published and target port ranges differ in size");
        }

        return targets.Select((t, i) => new ComposePort(
            t,
            published is null ? null : published.Count == 1 ? published[0] : published[i],
            protocol,
            "ingress")).ToList();
    }

    private static List<int> Range(YamlNode node, string text, string path)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = Port(node, dash < 0 ? text : text[..dash], path);
        var last = dash < 0 ? first : Port(node, text[(dash + 1)..], path);
        return last < first ? throw Fail(node, $"{path}: invalid port range '{text}'") : Enumerable.Range(first, last - first + 1).ToList();
    }

    private static int Port(YamlNode node, string text, string path) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Fail(node, $"{path}: a port number expected, not '{text}'");
}
