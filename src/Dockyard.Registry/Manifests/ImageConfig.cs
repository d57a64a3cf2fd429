using System.Globalization;
using System.Text.Json;

namespace Dockyard.Registry.Manifests;

/// <summary>
/// What an image's configuration blob (OCI image config / Docker container config, the same JSON) says about how
/// it runs: platform, entrypoint, command, environment, ports, labels, and the build history. Read for display;
/// the registry never acts on it. Unknown fields are ignored and fields of an unexpected JSON type are treated as
/// absent, because configs come from every builder there is.
/// </summary>
public sealed record ImageConfig
{
    /// <summary>Configs larger than this are not parsed (real ones are a few KiB; history of a big image, tens).</summary>
    public const int MaxSize = 4 * 1024 * 1024;

    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? Variant { get; init; }

    public string? OsVersion { get; init; }

    public DateTimeOffset? Created { get; init; }

    public string? Author { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ImageHistoryEntry> History { get; init; } = [];

    /// <summary>Parses a config blob. Throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static ImageConfig Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
        {
            throw new JsonException($"Image config is larger than {MaxSize} bytes.");
        }

        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Image config is not a JSON object.");
        }

        // Docker's older configs carry the runtime settings in "config" (and sometimes only "container_config").
        var config = Object(root, "config") ?? Object(root, "container_config");
        return new ImageConfig
        {
            Os = String(root, "os"),
            Architecture = String(root, "architecture"),
            Variant = String(root, "variant"),
            OsVersion = String(root, "os.version"),
            Created = Time(root, "created"),
            Author = String(root, "author"),
            Entrypoint = config is { } c1 ? Strings(c1, "Entrypoint") : null,
            Cmd = config is { } c2 ? Strings(c2, "Cmd") : null,
            Env = (config is { } c3 ? Strings(c3, "Env") : null) ?? [],
            WorkingDir = config is { } c4 ? String(c4, "WorkingDir") : null,
            User = config is { } c5 ? String(c5, "User") : null,
            ExposedPorts = config is { } c6 ? Keys(c6, "ExposedPorts") : [],
            Volumes = config is { } c7 ? Keys(c7, "Volumes") : [],
            Labels = config is { } c8 ? ReadLabels(c8) : new Dictionary<string, string>(),
            History = ReadHistory(root),
        };
    }

    /// <summary>
    /// Pairs each layer with the history step that created it: history entries without <c>empty_layer</c> map to the
    /// layers in order. Returns null for a layer with no matching step (history missing or inconsistent).
    /// </summary>
    public IReadOnlyList<ImageHistoryEntry?> HistoryForLayers(int layerCount)
    {
        var steps = History.Where(h => !h.EmptyLayer).ToList();
        var result = new ImageHistoryEntry?[layerCount];
        for (var i = 0; i < layerCount && i < steps.Count; i++)
        {
            result[i] = steps[i];
        }

        return result;
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Time(JsonElement parent, string name) =>
        String(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>A string array; null when absent or JSON null (which means "not set", unlike an empty array).</summary>
    private static List<string>? Strings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],

            // Some builders write a shell-form command as a plain string.
            JsonValueKind.String => [value.GetString()!],
            _ => null,
        };
    }

    private static List<string> Keys(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? [.. value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)]
            : [];

    private static Dictionary<string, string> ReadLabels(JsonElement config)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.TryGetProperty("Labels", out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in value.EnumerateObject())
            {
                labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : label.Value.GetRawText();
            }
        }

        return labels;
    }

    private static List<ImageHistoryEntry> ReadHistory(JsonElement root)
    {
        if (!root.TryGetProperty("history", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return
        [
            .. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new ImageHistoryEntry
            {
                Created = Time(e, "created"),
                CreatedBy = String(e, "created_by"),
                Comment = String(e, "comment"),
                EmptyLayer = e.TryGetProperty("empty_layer", out var empty) && empty.ValueKind == JsonValueKind.True,
            }),
        ];
    }
}
