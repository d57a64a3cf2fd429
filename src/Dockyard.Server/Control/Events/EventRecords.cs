using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Control.Events;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Events;

/// <summary>Turns what an engine reported (or what a reconcile inferred) into <see cref="StoredEvent"/>s.</summary>
internal static class EventRecords
{
    /// <summary>Upper bound of the stored attributes (JSON characters); later entries are left out beyond it.</summary>
    public const int MaxAttributesLength = 8 * 1024;

    /// <summary>Set on attributes that were cut to <see cref="MaxAttributesLength"/>.</summary>
    public const string TruncatedAttribute = "dockyard.truncated";

    public static StoredEvent FromEngine(string engine, string? nodeId, EngineEvent e, IReadOnlyDictionary<string, string>? labels)
    {
        var attributes = Bound(Merge(e.Actor.Attributes, labels));
        var scope = e.Scope;

        // Swarm events (services, nodes, secrets) are reported by every manager: one key whichever manager said it.
        var origin = scope == "swarm" ? "swarm" : nodeId ?? engine;
        var key = Key(origin, e.Type, e.Action, e.Detail, e.Actor.Id, e.TimeNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StoredEvent(0, e.TimeNano, engine, nodeId, e.Type, e.Action, Cut(e.Detail, 512), e.Actor.Id, NameOf(e.Type, attributes),
            attributes, scope, CollectionOf(e.Type, attributes), null, false, key);
    }

    public static StoredEvent Reconciled(string engine, string? nodeId, string action, KnownObject known, long timeNano)
    {
        var attributes = Bound(known.Attributes);
        var key = Key("reconciled", engine, known.Type, action, known.Id, timeNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StoredEvent(0, timeNano, engine, nodeId, known.Type, action, "reconciled", known.Id, known.Name ?? NameOf(known.Type, attributes),
            attributes, known.Type == "container" ? "local" : "swarm", CollectionOf(known.Type, attributes), null, true, key);
    }

    /// <summary>
    /// Who may see an event: containers and services by their collection label (<see cref="ControlLabels"/>), nodes by
    /// theirs (the root without one); every other type (images, networks, volumes, the daemon) administrators only.
    /// </summary>
    public static string? CollectionOf(string type, IReadOnlyDictionary<string, string> attributes) =>
        type is "container" or "service" or "node" ? ControlLabels.CollectionOf(attributes).Value : null;

    public static string Serialize(IReadOnlyDictionary<string, string> attributes) =>
        JsonSerializer.Serialize(attributes as Dictionary<string, string> ?? new Dictionary<string, string>(attributes), EventsJsonContext.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string> Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EventsJsonContext.Default.DictionaryStringString) ?? [];

    private static string? NameOf(string type, IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue("name", out var name) ? Cut(name, 256) : type == "node" && attributes.TryGetValue("hostname", out var host) ? Cut(host, 256) : null;

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> attributes, IReadOnlyDictionary<string, string>? labels)
    {
        var merged = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        foreach (var (name, value) in labels ?? new Dictionary<string, string>())
        {
            merged.TryAdd(name, value);
        }

        return merged;
    }

    private static Dictionary<string, string> Bound(IReadOnlyDictionary<string, string> attributes)
    {
        var bounded = new Dictionary<string, string>(StringComparer.Ordinal);
        var length = 2;

        // The collection labels and the name first: they decide visibility and search, whatever else is cut.
        foreach (var (name, value) in attributes.OrderBy(a => a.Key is ControlLabels.Collection or ControlLabels.UcpCollection or "name" ? 0 : 1).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            var size = name.Length + value.Length + 6;
            if (length + size > MaxAttributesLength - 32)
            {
                bounded[TruncatedAttribute] = "true";
                break;
            }

            bounded[name] = value;
            length += size;
        }

        return bounded;
    }

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private static string Key(params string?[] parts)
    {
        var text = string.Join('\n', parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 20));
    }
}
