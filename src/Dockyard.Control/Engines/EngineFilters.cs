using System.Text;
using System.Text.Json;

namespace Dockyard.Control.Engines;

/// <summary>
/// The engine's <c>filters</c> query parameter: a JSON map from filter name to the values that must match
/// (<c>{"label":["a=b"],"status":["running"]}</c>). Values of one name are OR-ed, names are AND-ed.
/// </summary>
public sealed class EngineFilters
{
    private readonly SortedDictionary<string, List<string>> _filters = new(StringComparer.Ordinal);

    /// <summary>True when no filter was added (the parameter is then left out).</summary>
    public bool IsEmpty => _filters.Count == 0;

    /// <summary>Adds <paramref name="value"/> to the values of filter <paramref name="name"/>.</summary>
    public EngineFilters Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!_filters.TryGetValue(name, out var values))
        {
            values = [];
            _filters[name] = values;
        }

        if (!values.Contains(value, StringComparer.Ordinal))
        {
            values.Add(value);
        }

        return this;
    }

    /// <summary>The filters as the engine reads them (before URL escaping).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in _filters)
            {
                writer.WriteStartArray(name);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override string ToString() => ToJson();
}
