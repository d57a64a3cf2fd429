using Dockyard.Control.Compose.Yaml;

namespace Dockyard.Control.Compose;

/// <summary>What makes two entries of a unique-resource list "the same" when files are merged (the later one replaces the earlier).</summary>
internal static class ComposeMergeKeys
{
    public static string Of(string list, YamlNode item)
    {
        try
        {
            return list switch
            {
                "ports" => string.Join(',', ComposePortParser.Parse(item, list, null).Select(p => $"{p.Published}:{p.Target}/{p.Protocol}")),
                "volumes" => ComposeMountParser.Parse(item, list, null).Target,
                "secrets" or "configs" when item is YamlMap map && map.Get("source") is YamlScalar source => source.Value,
                "cap_add" or "cap_drop" when item is YamlScalar cap => Capabilities.Normalize(cap.Value),
                _ => item is YamlScalar s ? s.Value : Unkeyed(item),
            };
        }
        catch (ComposeException)
        {
            return Unkeyed(item); // the reader reports it with its position
        }
    }

    private static string Unkeyed(YamlNode item) => $"{item.File}:{item.Line}:{item.Column}";
}
