namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One engine event as Dockyard stored it (<c>engine_events</c>): what the engine reported, where, and — when the
/// action came through Dockyard — who. Rows are appended by the event writer only and pruned by age.
/// </summary>
internal sealed class EngineEventEntity
{
    public long Id { get; set; }

    /// <summary>Nanoseconds since the epoch as the engine gave them (<c>timeNano</c>); the reconcile time for reconciled rows.</summary>
    public long TimeNano { get; set; }

    /// <summary>The configured engine the event came from.</summary>
    public required string Engine { get; set; }

    /// <summary>The swarm node id of that engine, when it is in a swarm.</summary>
    public string? NodeId { get; set; }

    /// <summary>container, image, network, volume, daemon, plugin, service, node, secret, config.</summary>
    public required string Type { get; set; }

    /// <summary>The action without its suffix (<c>exec_start</c>, not <c>exec_start: sh</c>).</summary>
    public required string Action { get; set; }

    /// <summary>The action's suffix (the exec command, the health status), bounded.</summary>
    public string? Detail { get; set; }

    public required string ActorId { get; set; }

    /// <summary>The actor's <c>name</c> attribute (container or service name, node hostname), for search.</summary>
    public string? ActorName { get; set; }

    /// <summary>The actor's attributes as a JSON object, at most 8 KiB (larger values are cut, see the writer).</summary>
    public required string Attributes { get; set; }

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    public required string Scope { get; set; }

    /// <summary>The collection deciding who sees the event (from the actor's labels); null: administrators only.</summary>
    public string? Collection { get; set; }

    /// <summary>The Dockyard user whose action caused the event, when it came through Dockyard.</summary>
    public string? UserName { get; set; }

    /// <summary>
    /// The stack the actor belongs to (its <c>com.docker.stack.namespace</c> label), when known when the event was
    /// written; null for objects outside a stack, for objects whose labels were not known, and for rows written before.
    /// </summary>
    public string? Stack { get; set; }

    /// <summary>True for events Dockyard inferred by comparing listings after a gap (not reported by the engine).</summary>
    public bool Reconciled { get; set; }

    /// <summary>Identifies the event across replicas and re-reads (unique): a second insert of it is ignored.</summary>
    public required string DedupKey { get; set; }
}
