using System.Text.Json.Nodes;

namespace Dockyard.Control.Stacks;

/// <summary>
/// One service: <paramref name="Name"/> is <c>&lt;stack&gt;_&lt;ShortName&gt;</c> (or the explicit name),
/// <paramref name="Image"/> the image as written, and <paramref name="Spec"/> the whole Swarm <c>ServiceSpec</c> (image pinned).
/// A JSON object rather than typed records because updates are read-modify-write of the engine's spec: fields Dockyard
/// does not model must survive a scale or a forced update.
/// Secret and config references in <c>TaskTemplate.ContainerSpec.Secrets/Configs</c> carry <c>SecretName</c>/<c>ConfigName</c>
/// and no <c>SecretID</c>/<c>ConfigID</c>: the deployer sets the ids once the objects exist (created or looked up).
/// </summary>
public sealed record StackServicePlan(string Name, string ShortName, string Image, JsonObject Spec);
