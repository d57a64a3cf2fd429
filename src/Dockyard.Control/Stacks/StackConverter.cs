using System.Text.Json.Nodes;
using Dockyard.Control.Compose;

namespace Dockyard.Control.Stacks;

/// <summary>
/// Compose → Swarm objects exactly as <c>docker stack deploy</c> converts them (docker/cli <c>cli/compose/convert</c>):
/// names scoped by the stack, namespace and image labels, deploy and container labels, update/rollback config,
/// placement, resources, networks (a <c>&lt;stack&gt;_default</c> overlay when a service names none), secrets and configs.
/// </summary>
/// <remarks>
/// Secret and config references carry <c>SecretName</c>/<c>ConfigName</c> and no <c>SecretID</c>/<c>ConfigID</c>:
/// the deployer sets the ids after creating or looking the objects up (docker's ParseSecrets does the same lookup).
/// Networks are referenced by name in <c>TaskTemplate.Networks[].Target</c>; the engine resolves them to ids.
/// </remarks>
public static class StackConverter
{
    /// <summary>The key of the network a service without <c>networks:</c> joins (docker's "default").</summary>
    public const string DefaultNetwork = "default";

    /// <param name="stack">The stack's name (the namespace).</param>
    /// <param name="project">The loaded project.</param>
    /// <param name="pinnedImages">Image as written → the reference to run (<c>repo:tag@sha256:…</c>); images absent keep their text.</param>
    /// <param name="commonLabels">Added to every object and every container spec (e.g. the access collection); they win over the file's labels.</param>
    public static StackPlan Convert(
        string stack,
        ComposeProject project,
        IReadOnlyDictionary<string, string> pinnedImages,
        IReadOnlyDictionary<string, string> commonLabels)
    {
        ArgumentException.ThrowIfNullOrEmpty(stack);
        ArgumentNullException.ThrowIfNull(project);
        var networks = project.Services
            .SelectMany(s => s.Networks.Count == 0 ? [DefaultNetwork] : s.Networks.Select(n => n.Key))
            .Distinct(StringComparer.Ordinal)
            .Select(key => Network(stack, key, project, commonLabels))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        var secrets = project.Secrets.Select(s => FileObject(stack, s, commonLabels)).ToList();
        var configs = project.Configs.Select(c => FileObject(stack, c, commonLabels)).ToList();
        var services = project.Services
            .Select(s => new StackServicePlan(
                Scope(stack, s.Name),
                s.Name,
                s.Image,
                StackServiceSpecBuilder.Build(stack, s, project, pinnedImages.TryGetValue(s.Image, out var pinned) ? pinned : s.Image, commonLabels)))
            .ToList();
        return new StackPlan(stack, networks, secrets, configs, services);
    }

    /// <summary><c>&lt;stack&gt;_&lt;name&gt;</c>, docker's Namespace.Scope.</summary>
    public static string Scope(string stack, string name) => $"{stack}_{name}";

    /// <summary>The name a network key resolves to (explicit or external name, else scoped).</summary>
    internal static string NetworkName(string stack, string key, ComposeProject project) =>
        project.Networks.FirstOrDefault(n => n.Key == key)?.Name ?? Scope(stack, key);

    private static StackNetworkPlan Network(string stack, string key, ComposeProject project, IReadOnlyDictionary<string, string> common)
    {
        var network = project.Networks.FirstOrDefault(n => n.Key == key) ?? new ComposeNetwork { Key = key };
        var name = network.Name ?? Scope(stack, key);
        if (network.External)
        {
            return new StackNetworkPlan(name, true, null);
        }

        var create = new JsonObject { ["Name"] = name, ["Driver"] = network.Driver ?? "overlay" }
            .Put("Options", StackJson.Map(network.DriverOpts))
            .Put("Internal", network.Internal)
            .Put("Attachable", network.Attachable)
            .Put("Labels", StackJson.Labels(stack, network.Labels, common));
        if (network.IpamDriver is not null || network.IpamSubnets.Count > 0)
        {
            create["IPAM"] = new JsonObject()
                .Put("Driver", network.IpamDriver)
                .Put("Config", new JsonArray([.. network.IpamSubnets.Select(s => (JsonNode)new JsonObject { ["Subnet"] = s })]));
        }

        return new StackNetworkPlan(name, false, create);
    }

    private static StackObjectPlan FileObject(string stack, ComposeFileObject obj, IReadOnlyDictionary<string, string> common)
    {
        var name = obj.Name ?? Scope(stack, obj.Key);
        if (obj.External)
        {
            return new StackObjectPlan(name, true, null);
        }

        var spec = new JsonObject
        {
            ["Name"] = name,
            ["Labels"] = StackJson.Labels(stack, obj.Labels, common),
            ["Data"] = System.Convert.ToBase64String(obj.Content.Span),
        };
        return new StackObjectPlan(name, false, spec);
    }
}
