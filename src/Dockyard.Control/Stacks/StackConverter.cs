using Dockyard.Control.Compose;

namespace Dockyard.Control.Stacks;

/// <summary>
/// Compose → Swarm objects exactly as <c>docker stack deploy</c> converts them (docker/cli <c>cli/compose/convert</c>):
/// names scoped by the stack, namespace and image labels, deploy and container labels, update/rollback config,
/// placement, resources, networks (a <c>&lt;stack&gt;_default</c> overlay when a service names none), secrets and configs.
/// </summary>
public static class StackConverter
{
    /// <param name="stack">The stack's name (the namespace).</param>
    /// <param name="project">The loaded project.</param>
    /// <param name="pinnedImages">Image as written → the reference to run (<c>repo:tag@sha256:…</c>); images absent keep their text.</param>
    /// <param name="commonLabels">Added to every object and every container spec (e.g. the access collection).</param>
    public static StackPlan Convert(
        string stack,
        ComposeProject project,
        IReadOnlyDictionary<string, string> pinnedImages,
        IReadOnlyDictionary<string, string> commonLabels) =>
        throw new NotImplementedException("contract stub: the compose helper implements this");
}
