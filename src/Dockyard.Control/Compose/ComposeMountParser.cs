using Dockyard.Control.Compose.Yaml;
using static Dockyard.Control.Compose.ComposeReadContext;

namespace Dockyard.Control.Compose;

/// <summary><c>volumes</c> entries (short <c>source:target[:options]</c> or long syntax) and <c>tmpfs</c> paths as mounts.</summary>
internal static class ComposeMountParser
{
    private static readonly HashSet<string> Propagations = ["shared", "rshared", "slave", "rslave", "private", "rprivate"];

    public static ComposeMount Parse(YamlNode item, string path, ComposeReadContext? context) =>
        item is YamlMap map ? ParseLong(map, path, context) : ParseShort(item, String(item, path), path, context);

    public static ComposeMount Tmpfs(YamlNode item, string path, ComposeReadContext? context)
    {
        var text = String(item, path);
        var cut = text.IndexOf(':', StringComparison.Ordinal);
        if (cut >= 0)
        {
            context?.Warn(item, $"{path}: tmpfs options '{text[(cut + 1)..]}' are not applied by Swarm; use the long volumes syntax with tmpfs.size");
        }

        return new ComposeMount { Type = "tmpfs", Target = cut < 0 ? text : text[..cut] };
    }

    private static ComposeMount ParseShort(YamlNode node, string text, string path, ComposeReadContext? context)
    {
        var parts = text.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0))
        {
            throw Fail(node, $"{path}: [source:]target[:options] expected, not '{text}'");
        }

        if (parts.Length == 1)
        {
            return new ComposeMount { Type = "volume", Target = parts[0] };
        }

        var source = parts[0];
        var bind = IsPath(source);
        var mount = new ComposeMount { Type = bind ? "bind" : "volume", Source = source, Target = parts[1] };
        foreach (var option in parts.Length == 3 ? parts[2].Split(',') : [])
        {
            mount = option switch
            {
                "ro" => mount with { ReadOnly = true },
                "rw" => mount with { ReadOnly = false },
                "nocopy" when !bind => mount with { NoCopy = true },
                "cached" or "delegated" or "consistent" => mount with { Consistency = option },
                _ when bind && Propagations.Contains(option) => mount with { Propagation = option },
                _ => Ignored(mount, node, $"{path}: volume option '{option}' is not applied by Swarm; ignored", context),
            };
        }

        return Checked(mount, node, path);
    }

    private static ComposeMount ParseLong(YamlMap map, string path, ComposeReadContext? context)
    {
        string? type = null;
        string? source = null;
        string? target = null;
        var mount = new ComposeMount { Type = "volume", Target = "" };
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "type":
                    type = Enum(entry.Value, at, "volume", "bind", "tmpfs");
                    break;
                case "source":
                    source = OptionalString(entry.Value, at);
                    break;
                case "target":
                    target = String(entry.Value, at);
                    break;
                case "read_only":
                    mount = mount with { ReadOnly = Bool(entry.Value, at) };
                    break;
                case "consistency":
                    mount = mount with { Consistency = String(entry.Value, at) };
                    break;
                case "bind":
                    foreach (var option in Map(entry.Value, at).Entries)
                    {
                        if (option.Key.Value == "propagation")
                        {
                            mount = mount with { Propagation = Enum(option.Value, Join(at, "propagation"), [.. Propagations]) };
                        }
                        else
                        {
                            context?.Unknown(option, at);
                        }
                    }

                    break;
                case "volume":
                    foreach (var option in Map(entry.Value, at).Entries)
                    {
                        if (option.Key.Value == "nocopy")
                        {
                            mount = mount with { NoCopy = Bool(option.Value, Join(at, "nocopy")) };
                        }
                        else
                        {
                            context?.Unknown(option, at);
                        }
                    }

                    break;
                case "tmpfs":
                    foreach (var option in Map(entry.Value, at).Entries)
                    {
                        if (option.Key.Value == "size")
                        {
                            mount = mount with { TmpfsSize = Bytes(option.Value, Join(at, "size")) };
                        }
                        else
                        {
                            context?.Unknown(option, at);
                        }
                    }

                    break;
                default:
                    context?.Unknown(entry, path);
                    break;
            }
        }

        if (type is null)
        {
            throw Fail(map, $"{path}: type expected (volume, bind or tmpfs)");
        }

        if (target is null)
        {
            throw Fail(map, $"{path}: target expected");
        }

        return Checked(mount with { Type = type, Source = source, Target = target }, map, path);
    }

    private static ComposeMount Checked(ComposeMount mount, YamlNode node, string path)
    {
        switch (mount.Type)
        {
            case "bind" when mount.Source is null || !mount.Source.StartsWith('/'):
                throw Fail(node, $"{path}: a bind source must be an absolute path on the node, not '{mount.Source}'");
            case "tmpfs" when mount.Source is not null:
                throw Fail(node, $"{path}: a tmpfs mount has no source");
            case not "bind" when mount.Propagation is not null:
                throw Fail(node, $"{path}: bind options are incompatible with type {mount.Type}");
            case not "volume" when mount.NoCopy:
                throw Fail(node, $"{path}: volume options are incompatible with type {mount.Type}");
            case not "tmpfs" when mount.TmpfsSize is not null:
                throw Fail(node, $"{path}: tmpfs options are incompatible with type {mount.Type}");
            default:
                return mount;
        }
    }

    private static bool IsPath(string source) => source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~');

    private static ComposeMount Ignored(ComposeMount mount, YamlNode node, string message, ComposeReadContext? context)
    {
        context?.Warn(node, message);
        return mount;
    }
}
