using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Nodes;

/// <summary>The fields of the node pages' forms (each form posts the few it shows); <see cref="Control.Nodes.NodeService"/> validates every value.</summary>
public sealed class NodeForm
{
    public string? Availability { get; set; }

    public string? Role { get; set; }

    /// <summary>The whole label set, one <c>key=value</c> a line.</summary>
    public string? Labels { get; set; }

    public bool Force { get; set; }

    /// <summary>Which join token to rotate: worker or manager.</summary>
    public string? JoinRole { get; set; }

    /// <summary>The labels as the text box shows them, one <c>key=value</c> a line, by key.</summary>
    internal static string Format(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\n', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>Reads <see cref="Labels"/>: blank lines are skipped; a line without <c>=</c> or a key given twice is refused (400 naming labels).</summary>
    internal Dictionary<string, string> ParseLabels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in (Labels ?? string.Empty).Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var split = line.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw DomainException.Invalid("labels", $"Line {number} is not key=value.");
            }

            var key = line[..split].Trim();
            if (!labels.TryAdd(key, line[(split + 1)..].Trim()))
            {
                throw DomainException.Invalid("labels", $"Label {key} is given twice.");
            }
        }

        return labels;
    }
}
