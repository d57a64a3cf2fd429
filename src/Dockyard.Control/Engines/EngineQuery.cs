using System.Globalization;
using System.Text;

namespace Dockyard.Control.Engines;

/// <summary>
/// Builds a request path relative to <c>/v1.41/</c>: path segments and query values are escaped with
/// <see cref="Uri.EscapeDataString(string)"/>, so ids and image references never change the path's shape.
/// </summary>
internal sealed class EngineQuery
{
    private readonly StringBuilder _text;
    private bool _hasQuery;

    private EngineQuery(string path) => _text = new StringBuilder(path);

    /// <summary>Starts at a fixed path such as <c>containers/json</c>.</summary>
    public static EngineQuery Path(string path) => new(path);

    /// <summary><c>{prefix}/{escaped id}{suffix}</c>, e.g. <c>containers/abc/start</c>.</summary>
    public static EngineQuery Path(string prefix, string id, string suffix = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return new EngineQuery(prefix + "/" + Uri.EscapeDataString(id) + suffix);
    }

    /// <summary>Adds <c>name=value</c>; a null value is left out.</summary>
    public EngineQuery Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _text.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _hasQuery = true;
        return this;
    }

    /// <summary>Adds <c>name=true|false</c>.</summary>
    public EngineQuery Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>Adds <c>name=true</c> only when <paramref name="value"/> is true (the engine's default is false).</summary>
    public EngineQuery AddIfTrue(string name, bool value) => value ? Add(name, "true") : this;

    /// <summary>Adds a whole number.</summary>
    public EngineQuery Add(string name, long value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds <c>filters=&lt;json&gt;</c> unless <paramref name="filters"/> is null or empty.</summary>
    public EngineQuery Add(EngineFilters? filters) => filters is null || filters.IsEmpty ? this : Add("filters", filters.ToJson());

    public override string ToString() => _text.ToString();
}
