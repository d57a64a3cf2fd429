using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Dockyard.Control.Compose.Yaml;

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's parser events, keeping every node's position. Aliases
/// reference the anchored node (no copy); merge keys (<c>&lt;&lt;</c>) are applied; the expanded size is bounded.
/// </summary>
internal sealed class YamlTreeReader
{
    /// <summary>Nodes a file may expand to once aliases are counted (a 1 MiB file has far fewer without aliases).</summary>
    public const long MaxNodes = 1_000_000;

    private readonly string _file;
    private readonly IParser _parser;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(string file, string text)
    {
        _file = file;
        _parser = new Parser(new StringReader(text));
    }

    /// <summary>The document's root, or null for an empty file.</summary>
    public static YamlNode? Read(string file, string text)
    {
        var reader = new YamlTreeReader(file, text);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            throw new ComposeException(file, (int)e.Start.Line, (int)e.Start.Column, StripPosition(e.Message));
        }
    }

    private YamlNode? ReadStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        _parser.Consume<DocumentStart>();
        var root = ReadNode();
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var next))
        {
            throw Fail(next.Start, "one YAML document expected; the file has more");
        }

        _parser.Consume<StreamEnd>();
        return root;
    }

    private YamlNode ReadNode()
    {
        var ev = _parser.Current ?? throw new ComposeException(_file, 0, 0, "unexpected end of the file");
        switch (ev)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                return _anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw Fail(alias.Start, $"unknown alias *{alias.Value.Value}");
            case Scalar scalar:
                _parser.MoveNext();
                var plain = scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific);
                return Anchor(scalar.Anchor, new YamlScalar(_file, Line(scalar.Start), Column(scalar.Start), scalar.Value, plain));
            case SequenceStart start:
                _parser.MoveNext();
                return Anchor(start.Anchor, ReadSequence(start));
            case MappingStart start:
                _parser.MoveNext();
                return Anchor(start.Anchor, ReadMapping(start));
            default:
                throw Fail(ev.Start, $"unexpected {ev.GetType().Name}");
        }
    }

    private YamlSequence ReadSequence(SequenceStart start)
    {
        var items = new List<YamlNode>();
        long size = 1;
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            var at = _parser.Current!.Start;
            var item = ReadNode();
            size = Bound(size + item.Size, at);
            items.Add(item);
        }

        return new YamlSequence(_file, Line(start.Start), Column(start.Start), items, size);
    }

    private YamlMap ReadMapping(MappingStart start)
    {
        var entries = new List<YamlEntry>();
        var merged = new List<YamlEntry>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        long size = 1;
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            if (ReadNode() is not YamlScalar key)
            {
                throw Fail(keyEvent.Start, "a scalar key expected");
            }

            var at = _parser.Current!.Start;
            var value = ReadNode();
            size = Bound(size + 1 + value.Size, at);
            if (key.Plain && key.Value == "<<")
            {
                merged.AddRange(MergeSources(value));
                continue;
            }

            if (!keys.Add(key.Value))
            {
                throw new ComposeException(_file, key.Line, key.Column, $"duplicate key '{key.Value}'");
            }

            entries.Add(new YamlEntry(key, value));
        }

        // Explicit keys win over merged ones; among merged maps the first to name a key wins (YAML merge key rules).
        foreach (var entry in merged)
        {
            if (keys.Add(entry.Key.Value))
            {
                entries.Add(entry);
            }
        }

        return new YamlMap(_file, Line(start.Start), Column(start.Start), entries, size);
    }

    private IEnumerable<YamlEntry> MergeSources(YamlNode value) => value switch
    {
        YamlMap map => map.Entries,
        YamlSequence seq => seq.Items.SelectMany(i => i is YamlMap m
            ? m.Entries
            : throw new ComposeException(_file, i.Line, i.Column, "a mapping (or an alias of one) expected in a merge key")),
        _ => throw new ComposeException(_file, value.Line, value.Column, "a mapping or a sequence of mappings expected after <<"),
    };

    private YamlNode Anchor(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private long Bound(long size, Mark at) => size <= MaxNodes
        ? size
        : throw Fail(at, $"the file expands to more than {MaxNodes:N0} YAML nodes (aliases counted); refused");

    private ComposeException Fail(Mark mark, string reason) => new(_file, Line(mark), Column(mark), reason);

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;

    private static string StripPosition(string message)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (Line: 1, Col: 3, Idx: 2): "; the position is ours to report.
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && at > 0 ? message[(at + 3)..] : message;
    }
}
