using Dockyard.Control.Events;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Keeps <see cref="KnownObjects"/> in step with the event stream, and works out after a gap what changed between the
/// last known state and a fresh listing (<see cref="Reconcile"/>).
/// </summary>
internal static class KnownState
{
    public static void Apply(KnownObjects known, EngineEvent e, IReadOnlyDictionary<string, string>? labels)
    {
        var current = known.Find(e.Type, e.Actor.Id);
        switch (e.Type, e.Action)
        {
            case ("container", "destroy"):
            case ("service", "remove"):
            case ("node", "remove"):
                known.Remove(e.Type, e.Actor.Id);
                return;
            case ("container", _):
                var status = e.Action switch
                {
                    "start" or "unpause" or "restart" => "running",
                    "pause" => "paused",
                    "die" or "stop" or "kill" => e.Action == "kill" ? current?.Status ?? "stopped" : "stopped",
                    _ => current?.Status ?? "stopped",
                };
                var attributes = new Dictionary<string, string>(e.Actor.Attributes, StringComparer.Ordinal);
                if (current is not null && e.Action is not ("create" or "rename"))
                {
                    // exec, health and other events carry the labels but not always the image; keep what we had.
                    foreach (var (key, value) in current.Attributes)
                    {
                        attributes.TryAdd(key, value);
                    }
                }

                known.Set(new KnownObject("container", e.Actor.Id, attributes.GetValueOrDefault("name") ?? current?.Name, status, null, attributes));
                return;
            case ("service", _):
            case ("node", _):
                var merged = new Dictionary<string, string>(labels ?? current?.Attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (key, value) in e.Actor.Attributes)
                {
                    merged[key] = value;
                }

                // Events carry no version: after a live update the next reconcile cannot tell a later change, and says nothing.
                known.Set(new KnownObject(e.Type, e.Actor.Id, merged.GetValueOrDefault("name") ?? current?.Name, current?.Status ?? "present", null, merged));
                return;
        }
    }

    /// <summary>The events that explain how <paramref name="before"/> became <paramref name="after"/>: (action, object).</summary>
    public static IEnumerable<(string Action, KnownObject Object)> Reconcile(KnownObjects before, KnownObjects after)
    {
        foreach (var (key, now) in after.Objects)
        {
            if (!before.Objects.TryGetValue(key, out var then))
            {
                yield return ("create", now);
                if (now.Type == "container" && now.Status != "stopped")
                {
                    yield return ("start", now);
                }

                continue;
            }

            if (now.Type == "container" && then.Status != now.Status)
            {
                yield return ((then.Status, now.Status) switch
                {
                    ("running", "stopped") or ("paused", "stopped") => "die",
                    ("running", "paused") => "pause",
                    ("paused", "running") => "unpause",
                    _ => "start",
                }, now);
            }
            else if (now.Type != "container" && then.Version is { } version && now.Version is { } newer && newer != version)
            {
                yield return ("update", now);
            }
        }

        foreach (var (key, then) in before.Objects)
        {
            if (!after.Objects.ContainsKey(key))
            {
                yield return (then.Type == "container" ? "destroy" : "remove", then);
            }
        }
    }
}
