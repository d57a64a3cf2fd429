using Dockyard.Control.Compose.Yaml;
using static Dockyard.Control.Compose.ComposeReadContext;

namespace Dockyard.Control.Compose;

/// <summary>A service's <c>deploy:</c> section.</summary>
internal static class ComposeDeployReader
{
    public static ComposeDeploy Read(YamlNode node, string path, ComposeReadContext context)
    {
        var deploy = new ComposeDeploy();
        YamlNode? replicasNode = null;
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            var value = entry.Value;
            deploy = entry.Key.Value switch
            {
                "mode" => deploy with { Mode = Enum(value, at, "replicated", "global") },
                "replicas" => deploy with { Replicas = IsNull((replicasNode = value)) ? null : Integer(value, at, 0) },
                "resources" => ReadResources(deploy, value, at, context),
                "restart_policy" => deploy with { RestartPolicy = ReadRestartPolicy(value, at, context) },
                "update_config" => deploy with { UpdateConfig = ReadUpdateConfig(value, at, context, "continue", "pause", "rollback") },
                "rollback_config" => deploy with { RollbackConfig = ReadUpdateConfig(value, at, context, "continue", "pause") },
                "placement" => ReadPlacement(deploy, value, at, context),
                "endpoint_mode" => deploy with { EndpointMode = Enum(value, at, "vip", "dnsrr") },
                "labels" => deploy with { Labels = StringMap(value, at) },
                _ => Unknown(deploy, entry, path, context),
            };
        }

        if (deploy.Mode == "global" && deploy.Replicas is not null && replicasNode is not null)
        {
            throw Fail(replicasNode, $"{path}.replicas: replicas can only be used with mode replicated");
        }

        return deploy;
    }

    private static ComposeDeploy ReadResources(ComposeDeploy deploy, YamlNode node, string path, ComposeReadContext context)
    {
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            deploy = entry.Key.Value switch
            {
                "limits" => deploy with { Limits = ReadResourceSpec(entry.Value, at, context, pids: true) },
                "reservations" => deploy with { Reservations = ReadResourceSpec(entry.Value, at, context, pids: false) },
                _ => Unknown(deploy, entry, path, context),
            };
        }

        return deploy;
    }

    private static ComposeResourceSpec ReadResourceSpec(YamlNode node, string path, ComposeReadContext context, bool pids)
    {
        var spec = new ComposeResourceSpec(null, null, null);
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "cpus":
                    var text = String(entry.Value, at);
                    spec = spec with { NanoCpus = ComposeUnits.ParseNanoCpus(text) ?? throw Fail(entry.Value, $"{at}: a CPU count like 0.5 or 2 expected, not '{text}'") };
                    break;
                case "memory":
                    spec = spec with { MemoryBytes = Bytes(entry.Value, at) };
                    break;
                case "pids" when pids:
                    spec = spec with { Pids = Integer(entry.Value, at) };
                    break;
                default:
                    context.Unknown(entry, path);
                    break;
            }
        }

        return spec;
    }

    private static ComposeRestartPolicy ReadRestartPolicy(YamlNode node, string path, ComposeReadContext context)
    {
        var policy = new ComposeRestartPolicy(null, null, null, null);
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            policy = entry.Key.Value switch
            {
                "condition" => policy with { Condition = Enum(entry.Value, at, "none", "on-failure", "any") },
                "delay" => policy with { Delay = Duration(entry.Value, at) },
                "max_attempts" => policy with { MaxAttempts = Integer(entry.Value, at, 0) },
                "window" => policy with { Window = Duration(entry.Value, at) },
                _ => Unknown(policy, entry, path, context),
            };
        }

        return policy;
    }

    private static ComposeUpdateConfig ReadUpdateConfig(YamlNode node, string path, ComposeReadContext context, params string[] failureActions)
    {
        var config = new ComposeUpdateConfig();
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            config = entry.Key.Value switch
            {
                "parallelism" => config with { Parallelism = Integer(entry.Value, at, 0) },
                "delay" => config with { Delay = Duration(entry.Value, at) },
                "failure_action" => config with { FailureAction = Enum(entry.Value, at, failureActions) },
                "monitor" => config with { Monitor = Duration(entry.Value, at) },
                "max_failure_ratio" => config with { MaxFailureRatio = Number(entry.Value, at) },
                "order" => config with { Order = Enum(entry.Value, at, "stop-first", "start-first") },
                _ => Unknown(config, entry, path, context),
            };
        }

        return config;
    }

    private static ComposeDeploy ReadPlacement(ComposeDeploy deploy, YamlNode node, string path, ComposeReadContext context)
    {
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "constraints":
                    deploy = deploy with { Constraints = Strings(entry.Value, at) };
                    break;
                case "preferences":
                    var spreads = new List<string>();
                    var items = entry.Value is YamlSequence seq ? seq.Items : throw Fail(entry.Value, $"{at}: a list expected, not {entry.Value.Kind}");
                    for (var i = 0; i < items.Count; i++)
                    {
                        foreach (var preference in Map(items[i], $"{at}[{i}]").Entries)
                        {
                            if (preference.Key.Value == "spread")
                            {
                                spreads.Add(String(preference.Value, $"{at}[{i}].spread"));
                            }
                            else
                            {
                                context.Unknown(preference, $"{at}[{i}]");
                            }
                        }
                    }

                    deploy = deploy with { Preferences = spreads };
                    break;
                case "max_replicas_per_node":
                    deploy = deploy with { MaxReplicasPerNode = Integer(entry.Value, at, 0) };
                    break;
                default:
                    context.Unknown(entry, path);
                    break;
            }
        }

        return deploy;
    }

    private static T Unknown<T>(T value, YamlEntry entry, string path, ComposeReadContext context)
    {
        context.Unknown(entry, path);
        return value;
    }
}
