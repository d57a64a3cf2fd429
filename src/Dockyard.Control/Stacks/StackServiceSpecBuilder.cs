using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Compose;

namespace Dockyard.Control.Stacks;

/// <summary>One Compose service → a Swarm <c>ServiceSpec</c>, field by field as docker/cli's <c>convert.Service</c>.</summary>
internal static class StackServiceSpecBuilder
{
    private static readonly HashSet<string> PredefinedNetworks = ["host", "bridge", "none", "default"];

    public static JsonObject Build(string stack, ComposeService service, ComposeProject project, string image, IReadOnlyDictionary<string, string> common)
    {
        var serviceLabels = new Dictionary<string, string>(service.Deploy.Labels, StringComparer.Ordinal);
        var labels = StackJson.Labels(stack, serviceLabels, common);
        labels[StackLabels.Image] = service.Image;
        return new JsonObject
        {
            ["Name"] = StackConverter.Scope(stack, service.Name),
            ["Labels"] = StackJson.Map(labels.Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>()))),
            ["TaskTemplate"] = new JsonObject { ["ContainerSpec"] = ContainerSpec(stack, service, project, image, common) }
                .Put("Resources", Resources(service.Deploy), skipZero: false)
                .Put("RestartPolicy", RestartPolicy(service))
                .Put("Placement", new JsonObject()
                    .Put("Constraints", StackJson.Strings(service.Deploy.Constraints))
                    .Put("Preferences", new JsonArray([.. service.Deploy.Preferences.Select(p =>
                        (JsonNode)new JsonObject { ["Spread"] = new JsonObject { ["SpreadDescriptor"] = p } })]))
                    .Put("MaxReplicas", service.Deploy.MaxReplicasPerNode))
                .Put("Networks", Networks(stack, service, project))
                .Put("LogDriver", service.Logging is { } logging
                    ? new JsonObject().Put("Name", logging.Driver).Put("Options", StackJson.Map(logging.Options))
                    : null),
            ["Mode"] = service.Deploy.Mode == "global"
                ? new JsonObject { ["Global"] = new JsonObject() }
                : new JsonObject { ["Replicated"] = new JsonObject().Put("Replicas", service.Deploy.Replicas, skipZero: false) },
        }
        .Put("UpdateConfig", UpdateConfig(service.Deploy.UpdateConfig))
        .Put("RollbackConfig", UpdateConfig(service.Deploy.RollbackConfig))
        .Put("EndpointSpec", new JsonObject()
            .Put("Mode", service.Deploy.EndpointMode?.ToLowerInvariant())
            .Put("Ports", new JsonArray([.. service.Ports
                .OrderBy(p => p.Published ?? 0).ThenBy(p => p.Target).ThenBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.Mode, StringComparer.Ordinal)
                .Select(p => (JsonNode)new JsonObject { ["Protocol"] = p.Protocol, ["TargetPort"] = p.Target }
                    .Put("PublishedPort", p.Published)
                    .Put("PublishMode", p.Mode))])));
    }

    private static JsonObject ContainerSpec(string stack, ComposeService service, ComposeProject project, string image, IReadOnlyDictionary<string, string> common)
    {
        var (capAdd, capDrop) = Capabilities.Effective(service.CapAdd, service.CapDrop);
        var spec = new JsonObject { ["Image"] = image, ["Labels"] = StackJson.Labels(stack, service.Labels, common) }
            .Put("Command", service.Entrypoint is null ? null : StackJson.Strings(service.Entrypoint))
            .Put("Args", service.Command is null ? null : StackJson.Strings(service.Command))
            .Put("Hostname", service.Hostname)
            .Put("Env", StackJson.Strings(service.Environment
                .Select(e => e.Value is null ? e.Key : $"{e.Key}={e.Value}")
                .Order(StringComparer.Ordinal)))
            .Put("Dir", service.WorkingDir)
            .Put("User", service.User)
            .Put("Mounts", new JsonArray([.. service.Volumes.Select(m => (JsonNode)Mount(stack, m, project, common))]))
            .Put("StopGracePeriod", service.StopGracePeriod is { } grace ? ComposeUnits.Nanoseconds(grace) : null, skipZero: false)
            .Put("StopSignal", service.StopSignal)
            .Put("TTY", service.Tty)
            .Put("OpenStdin", service.StdinOpen)
            .Put("Healthcheck", Healthcheck(service.Healthcheck))
            .Put("Hosts", StackJson.Strings(service.ExtraHosts
                .Where(h => h.Contains(':', StringComparison.Ordinal))
                .Select(h => $"{h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..]} {h[..h.IndexOf(':', StringComparison.Ordinal)]}")))
            .Put("DNSConfig", service.Dns.Count > 0 || service.DnsSearch.Count > 0
                ? new JsonObject()
                    .Put("Nameservers", StackJson.Strings(service.Dns.Where(d => IPAddress.TryParse(d, out _))))
                    .Put("Search", StackJson.Strings(service.DnsSearch))
                : null)
            .Put("Secrets", References(stack, service.Secrets, project.Secrets, "SecretName"))
            .Put("Configs", References(stack, service.Configs, project.Configs, "ConfigName"))
            .Put("ReadOnly", service.ReadOnly)
            .Put("Init", service.Init, skipZero: false)
            .Put("Sysctls", StackJson.Map(service.Sysctls))
            .Put("CapabilityAdd", StackJson.Strings(capAdd))
            .Put("CapabilityDrop", StackJson.Strings(capDrop))
            .Put("Ulimits", new JsonArray([.. service.Ulimits.OrderBy(u => u.Name, StringComparer.Ordinal)
                .Select(u => (JsonNode)new JsonObject { ["Name"] = u.Name, ["Soft"] = u.Soft, ["Hard"] = u.Hard })]));
        return spec;
    }

    private static JsonObject Mount(string stack, ComposeMount mount, ComposeProject project, IReadOnlyDictionary<string, string> common)
    {
        var result = new JsonObject { ["Type"] = mount.Type }
            .Put("Source", mount.Source)
            .Put("Target", mount.Target)
            .Put("ReadOnly", mount.ReadOnly)
            .Put("Consistency", mount.Consistency);
        switch (mount.Type)
        {
            case "bind" when mount.Propagation is not null:
                result["BindOptions"] = new JsonObject { ["Propagation"] = mount.Propagation };
                break;
            case "tmpfs" when mount.TmpfsSize is not null:
                result["TmpfsOptions"] = new JsonObject { ["SizeBytes"] = mount.TmpfsSize };
                break;
            case "volume" when mount.Source is not null:
                var volume = project.Volumes.First(v => v.Key == mount.Source);
                result["Source"] = volume.Name ?? StackConverter.Scope(stack, mount.Source);
                var options = new JsonObject().Put("NoCopy", mount.NoCopy);
                if (!volume.External)
                {
                    options["Labels"] = StackJson.Labels(stack, volume.Labels, common);
                    if (volume.Driver is not null || volume.DriverOpts is not null)
                    {
                        options["DriverConfig"] = new JsonObject()
                            .Put("Name", volume.Driver)
                            .Put("Options", StackJson.Map(volume.DriverOpts ?? new Dictionary<string, string>()));
                    }
                }

                result["VolumeOptions"] = options;
                break;
        }

        return result;
    }

    private static JsonArray References(string stack, IReadOnlyList<ComposeFileReference> references, IReadOnlyList<ComposeFileObject> declared, string nameField)
    {
        var items = references.Select(r =>
        {
            var obj = declared.First(d => d.Key == r.Source);
            var name = obj.Name ?? StackConverter.Scope(stack, r.Source);
            return (Name: name, Json: new JsonObject
            {
                ["File"] = new JsonObject
                {
                    ["Name"] = r.Target ?? r.Source,
                    ["UID"] = r.Uid ?? "0",
                    ["GID"] = r.Gid ?? "0",
                    ["Mode"] = r.Mode ?? 0x124, // 0444, docker's default
                },
                [nameField] = name,
            });
        });

        // Sorted by name (stable) as docker does, so a reordered file does not restart the service.
        return [.. items.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => (JsonNode)i.Json)];
    }

    private static JsonArray Networks(string stack, ComposeService service, ComposeProject project)
    {
        var attachments = service.Networks.Count == 0 ? [new ComposeServiceNetwork(StackConverter.DefaultNetwork, [])] : service.Networks;
        return [.. attachments
            .Select(n =>
            {
                var target = StackConverter.NetworkName(stack, n.Key, project);
                var aliases = n.Aliases.ToList();
                if (!PredefinedNetworks.Contains(target) && !target.StartsWith("container:", StringComparison.Ordinal))
                {
                    aliases.Add(service.Name);
                }

                return (Target: target, Json: new JsonObject { ["Target"] = target }.Put("Aliases", StackJson.Strings(aliases)));
            })
            .OrderBy(n => n.Target, StringComparer.Ordinal)
            .Select(n => (JsonNode)n.Json)];
    }

    private static JsonObject Resources(ComposeDeploy deploy)
    {
        var resources = new JsonObject();
        if (deploy.Limits is { } limits)
        {
            resources["Limits"] = new JsonObject()
                .Put("NanoCPUs", limits.NanoCpus)
                .Put("MemoryBytes", limits.MemoryBytes)
                .Put("Pids", limits.Pids);
        }

        if (deploy.Reservations is { } reservations)
        {
            resources["Reservations"] = new JsonObject()
                .Put("NanoCPUs", reservations.NanoCpus)
                .Put("MemoryBytes", reservations.MemoryBytes);
        }

        return resources;
    }

    private static JsonObject? RestartPolicy(ComposeService service)
    {
        if (service.Deploy.RestartPolicy is { } policy)
        {
            return new JsonObject()
                .Put("Condition", policy.Condition)
                .Put("Delay", policy.Delay is { } delay ? ComposeUnits.Nanoseconds(delay) : null, skipZero: false)
                .Put("MaxAttempts", policy.MaxAttempts, skipZero: false)
                .Put("Window", policy.Window is { } window ? ComposeUnits.Nanoseconds(window) : null, skipZero: false);
        }

        // The legacy service-level restart, as docker's convertRestartPolicy falls back to it.
        var parts = (service.Restart ?? "").Split(':', 2);
        long? attempts = parts.Length == 2 && long.TryParse(parts[1], out var n) && n > 0 ? n : null;
        return parts[0] switch
        {
            "always" or "unless-stopped" => new JsonObject { ["Condition"] = "any" }.Put("MaxAttempts", attempts),
            "on-failure" => new JsonObject { ["Condition"] = "on-failure" }.Put("MaxAttempts", attempts),
            _ => null,
        };
    }

    private static JsonObject? Healthcheck(ComposeHealthcheck? check)
    {
        if (check is null)
        {
            return null;
        }

        if (check.Disable)
        {
            return new JsonObject { ["Test"] = new JsonArray("NONE") };
        }

        return new JsonObject()
            .Put("Test", check.Test is null ? null : StackJson.Strings(check.Test))
            .Put("Interval", Ns(check.Interval))
            .Put("Timeout", Ns(check.Timeout))
            .Put("StartPeriod", Ns(check.StartPeriod))
            .Put("StartInterval", Ns(check.StartInterval))
            .Put("Retries", check.Retries);
    }

    private static JsonObject? UpdateConfig(ComposeUpdateConfig? config) => config is null
        ? null
        : new JsonObject { ["Parallelism"] = config.Parallelism ?? 1 }
            .Put("Delay", Ns(config.Delay))
            .Put("FailureAction", config.FailureAction)
            .Put("Monitor", Ns(config.Monitor))
            .Put("MaxFailureRatio", config.MaxFailureRatio)
            .Put("Order", config.Order);

    private static long? Ns(TimeSpan? value) => value is { } v ? ComposeUnits.Nanoseconds(v) : null;
}
