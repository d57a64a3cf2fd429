using Dockyard.Control.Events;
using Dockyard.Server.Control.Events;

namespace Dockyard.Server.Tests.Control.Events;

/// <summary>
/// How the event writer's records name an event's stack (<see cref="EventRecords"/>): from the actor's
/// <c>com.docker.stack.namespace</c> attribute (task containers), from the service's labels (service events carry
/// only the name), from what the consumer found by inspecting (networks, secrets, configs), and for reconciled events
/// from the known object's labels; and how <see cref="EventFilter.Matches"/> applies <c>stack=</c> to the live feed.
/// </summary>
public sealed class EventStackTests
{
    private static EngineEvent Event(string type, string action, Dictionary<string, string> attributes) =>
        new(type, action, null, new EngineEventActor("id-1", attributes), type == "container" ? "local" : "swarm", DateTimeOffset.UnixEpoch, 1_000);

    [Fact]
    public void A_task_container_event_names_the_stack_of_its_attributes()
    {
        var stored = EventRecords.FromEngine("manager", "node-1", Event("container", "start", new() { ["name"] = "web_app.1.x", ["com.docker.stack.namespace"] = "web" }), null);

        Assert.Equal("web", stored.Stack);
    }

    [Fact]
    public void A_service_event_names_the_stack_of_the_service_labels()
    {
        var labels = new Dictionary<string, string> { ["com.docker.stack.namespace"] = "web", ["dockyard.access.collection"] = "/team" };

        Assert.Equal("web", EventRecords.FromEngine("manager", "node-1", Event("service", "create", new() { ["name"] = "web_app" }), labels).Stack);
        Assert.Null(EventRecords.FromEngine("manager", "node-1", Event("service", "create", new() { ["name"] = "web_app" }), null).Stack);
    }

    [Fact]
    public void A_network_event_takes_the_stack_the_consumer_found_and_none_otherwise()
    {
        var e = Event("network", "create", new() { ["name"] = "web_default", ["type"] = "overlay" });

        Assert.Equal("web", EventRecords.FromEngine("manager", "node-1", e, null, "web").Stack);
        Assert.Null(EventRecords.FromEngine("manager", "node-1", e, null).Stack);
        Assert.Null(EventRecords.FromEngine("manager", "node-1", e, null, new string('x', EventRecords.MaxStackLength + 1)).Stack);
    }

    [Fact]
    public void A_container_outside_a_stack_has_none_and_a_reconciled_event_takes_the_known_labels()
    {
        Assert.Null(EventRecords.FromEngine("manager", null, Event("container", "start", new() { ["name"] = "plain" }), null).Stack);

        var known = new KnownObject("container", "c1", "web_app.1.x", "running", null, new() { ["com.docker.stack.namespace"] = "web" });
        Assert.Equal("web", EventRecords.Reconciled("manager", null, "start", known, 5).Stack);
    }

    [Fact]
    public void The_live_filter_matches_the_stack_exactly()
    {
        var stored = EventRecords.FromEngine("manager", null, Event("container", "start", new() { ["com.docker.stack.namespace"] = "web" }), null);
        var filter = EventFilter.Parse(null, null, null, null, null, null, null, null, null, "web");

        Assert.True(filter.Matches(stored));
        Assert.False(filter.Matches(stored with { Stack = "web2" }));
        Assert.False(filter.Matches(stored with { Stack = null }));
        Assert.True(EventFilter.Parse(null, null, null, null, null, null, null, null, null, " ").Matches(stored with { Stack = null }));
    }
}
