using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Control.Events;
using Dockyard.Control.Stacks;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Events;

/// <summary>Turns what an engine reported (or what a reconcile inferred) into <see cref="StoredEvent"/>s.</summary>
internal static class EventRecords
{
    /// <summary>Upper bound of the stored attributes (JSON characters); later entries are left out beyond it.</summary>
    public const int MaxAttributesLength = 8 * 1024;

    /// <summary>Set on attributes that were cut to <see cref="MaxAttributesLength"/>.</summary>
    public const string TruncatedAttribute = "dockyard.truncated";

    /// <summary>The length of <c>engine_events.stack</c>.</summary>
    public const int MaxStackLength = 255;

    /// <summary>
    /// The stored form of an engine event. <paramref name="labels"/> (the object's labels, for events that do not carry
    /// them) are merged into the attributes; <paramref name="stack"/> is the stack when the caller knows it otherwise
    /// (networks, secrets and configs, whose labels are not stored with the event).
    /// </summary>
    public static StoredEvent FromEngine(string engine, string? nodeId, EngineEvent e, IReadOnlyDictionary<string, string>? labels, string? stack = null)
    {
        var attributes = Bound(Merge(e.Actor.Attributes, labels));
        var scope = e.Scope;

        // Swarm events (services, nodes, secrets) are reported by every manager: one key whichever manager said it.
        var origin = scope == "swarm" ? "swarm" : nodeId ?? engine;
        var key = Key(origin, e.Type, e.Action, e.Detail, e.Actor.Id, e.TimeNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StoredEvent(0, e.TimeNano, engine, nodeId, e.Type, e.Action, Cut(e.Detail, 512), e.Actor.Id, NameOf(e.Type, attributes),
            attributes, scope, CollectionOf(e.Type, attributes), null, false, key)
        { Stack = StackOf(attributes) ?? Valid(stack) };
    }

    public static StoredEvent Reconciled(string engine, string? nodeId, string action, KnownObject known, long timeNano)
    {
        var attributes = Bound(known.Attributes);
        var key = Key("reconciled", engine, known.Type, action, known.Id, timeNano.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StoredEvent(0, timeNano, engine, nodeId, known.Type, action, "reconciled", known.Id, known.Name ?? NameOf(known.Type, attributes),
            attributes, known.Type == "container" ? "local" : "swarm", CollectionOf(known.Type, attributes), null, true, key)
        { Stack = StackOf(attributes) };
    }

    /// <summary>
    /// The stack of an actor by its labels: Swarm puts a stack's <c>com.docker.stack.namespace</c> label on its services
    /// and, through the ContainerSpec labels, on the task containers, whose events carry them as attributes.
    /// </summary>
    public static string? StackOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(StackLabels.Namespace, out var stack) ? Valid(stack) : null;

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

        // The collection labels, the stack and the name first: they decide visibility and search, whatever else is cut.
        foreach (var (name, value) in attributes.OrderBy(a => a.Key is ControlLabels.Collection or ControlLabels.UcpCollection or StackLabels.Namespace or "name" ? 0 : 1).ThenBy(a => a.Key, StringComparer.Ordinal))
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

    // A value longer than the column is no stack Dockyard can name: left out rather than cut into another name.
    private static string? Valid(string? stack) => string.IsNullOrWhiteSpace(stack) || stack.Length > MaxStackLength ? null : stack;

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private static string Key(params string?[] parts)
    {
        var text = string.Join('\n', parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 20));
    }
}
