using Dockyard.Control.Compose.Yaml;
using static Dockyard.Control.Compose.ComposeReadContext;

namespace Dockyard.Control.Compose;

/// <summary>The merged top-level mapping into a <see cref="ComposeProject"/>, with every service's references checked.</summary>
internal static class ComposeProjectReader
{
    public static ComposeProject Read(YamlMap root, ComposeReadContext context)
    {
        var project = new ComposeProject();
        foreach (var entry in root.Entries)
        {
            var key = entry.Key.Value;
            project = key switch
            {
                "networks" => project with { Networks = Entries(entry.Value, key, (k, n) => Network(k, n, context)) },
                "volumes" => project with { Volumes = Entries(entry.Value, key, (k, n) => Volume(k, n, context)) },
                "secrets" => project with { Secrets = Entries(entry.Value, key, (k, n) => FileObject(k, n, "secrets", context)) },
                "configs" => project with { Configs = Entries(entry.Value, key, (k, n) => FileObject(k, n, "configs", context)) },
                "version" => project, // obsolete in the Compose specification; accepted and ignored
                _ => project,
            };
            if (key is not ("services" or "networks" or "volumes" or "secrets" or "configs" or "version"))
            {
                context.Unknown(entry, "");
            }
        }

        var servicesNode = root.Get("services");
        var services = servicesNode is null ? [] : Entries(servicesNode, "services", (k, n) => (Key: k, Service: ComposeServiceReader.Read(k, n, context)));
        if (services.Count == 0)
        {
            throw Fail(servicesNode ?? root, "services: at least one service expected");
        }

        foreach (var (key, service) in services)
        {
            Check(project, key, service, Map(servicesNode!, "services").Get(key.Value)!);
        }

        return project with { Services = [.. services.Select(s => s.Service)] };
    }

    /// <summary>docker refuses undefined networks, volumes, secrets and configs; so does Dockyard, at the reference.</summary>
    private static void Check(ComposeProject project, YamlScalar key, ComposeService service, YamlNode node)
    {
        var map = (YamlMap)node;
        var path = $"services.{key.Value}";
        foreach (var network in service.Networks)
        {
            if (network.Key != "default" && project.Networks.All(n => n.Key != network.Key))
            {
                throw Fail(map.Get("networks")!, $"{path}.networks: undefined network '{network.Key}' (declare it under the top-level networks:)");
            }
        }

        foreach (var mount in service.Volumes.Where(m => m.Type == "volume" && m.Source is not null))
        {
            if (project.Volumes.All(v => v.Key != mount.Source))
            {
                throw Fail(map.Get("volumes")!, $"{path}.volumes: undefined volume '{mount.Source}' (declare it under the top-level volumes:)");
            }
        }

        foreach (var (kind, references, declared) in new[] { ("secret", service.Secrets, project.Secrets), ("config", service.Configs, project.Configs) })
        {
            foreach (var reference in references.Where(r => declared.All(d => d.Key != r.Source)))
            {
                throw Fail(map.Get(kind + "s")!, $"{path}.{kind}s: undefined {kind} '{reference.Source}' (declare it under the top-level {kind}s:)");
            }
        }
    }

    private static List<T> Entries<T>(YamlNode node, string path, Func<YamlScalar, YamlNode, T> read) =>
        [.. Map(node, path).Entries.Where(e => !e.Key.Value.StartsWith("x-", StringComparison.Ordinal)).Select(e => read(e.Key, e.Value))];

    private static ComposeNetwork Network(YamlScalar key, YamlNode node, ComposeReadContext context)
    {
        var path = $"networks.{key.Value}";
        var network = new ComposeNetwork { Key = key.Value };
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "name": network = network with { Name = String(entry.Value, at) }; break;
                case "external": network = External(network, entry.Value, at, (n, name) => n with { External = true, Name = name ?? n.Name }, n => n); break;
                case "driver": network = network with { Driver = String(entry.Value, at) }; break;
                case "driver_opts": network = network with { DriverOpts = StringMap(entry.Value, at) }; break;
                case "attachable": network = network with { Attachable = Bool(entry.Value, at) }; break;
                case "internal": network = network with { Internal = Bool(entry.Value, at) }; break;
                case "labels": network = network with { Labels = StringMap(entry.Value, at) }; break;
                case "ipam": network = Ipam(network, entry.Value, at, context); break;
                default: context.Unknown(entry, path); break;
            }
        }

        return network.External ? network with { Name = network.Name ?? key.Value } : network;
    }

    private static ComposeNetwork Ipam(ComposeNetwork network, YamlNode node, string path, ComposeReadContext context)
    {
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            if (entry.Key.Value == "driver")
            {
                network = network with { IpamDriver = String(entry.Value, at) };
            }
            else if (entry.Key.Value == "config" && entry.Value is YamlSequence seq)
            {
                var subnets = new List<string>();
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    foreach (var option in Map(seq.Items[i], $"{at}[{i}]").Entries)
                    {
                        if (option.Key.Value == "subnet")
                        {
                            subnets.Add(String(option.Value, $"{at}[{i}].subnet"));
                        }
                        else
                        {
                            context.Unknown(option, $"{at}[{i}]");
                        }
                    }
                }

                network = network with { IpamSubnets = subnets };
            }
            else
            {
                context.Unknown(entry, path);
            }
        }

        return network;
    }

    private static ComposeVolume Volume(YamlScalar key, YamlNode node, ComposeReadContext context)
    {
        var path = $"volumes.{key.Value}";
        var volume = new ComposeVolume { Key = key.Value };
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "name": volume = volume with { Name = String(entry.Value, at) }; break;
                case "external": volume = External(volume, entry.Value, at, (v, name) => v with { External = true, Name = name ?? v.Name }, v => v); break;
                case "driver": volume = volume with { Driver = String(entry.Value, at) }; break;
                case "driver_opts": volume = volume with { DriverOpts = StringMap(entry.Value, at) }; break;
                case "labels": volume = volume with { Labels = StringMap(entry.Value, at) }; break;
                default: context.Unknown(entry, path); break;
            }
        }

        return volume.External ? volume with { Name = volume.Name ?? key.Value } : volume;
    }

    private static ComposeFileObject FileObject(YamlScalar key, YamlNode node, string section, ComposeReadContext context)
    {
        var path = $"{section}.{key.Value}";
        var map = Map(node, path);
        var obj = new ComposeFileObject { Key = key.Value };
        YamlNode? fileNode = null;
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "name": obj = obj with { Name = String(entry.Value, at) }; break;
                case "external": obj = External(obj, entry.Value, at, (o, name) => o with { External = true, Name = name ?? o.Name }, o => o); break;
                case "file": obj = obj with { File = String(fileNode = entry.Value, at) }; break;
                case "labels": obj = obj with { Labels = StringMap(entry.Value, at) }; break;
                default: context.Unknown(entry, path); break;
            }
        }

        if (obj.External)
        {
            return fileNode is not null
                ? throw Fail(fileNode, $"{path}: external and file can't be set at the same time")
                : obj with { Name = obj.Name ?? key.Value };
        }

        if (obj.File is null)
        {
            throw Fail(key, $"{path}: file or external expected");
        }

        return context.Files.TryGetValue(obj.File, out var content)
            ? obj with { Content = content }
            : throw Fail(fileNode!, $"{path}.file: {obj.File} was not provided with the deploy (attach it)");
    }

    /// <summary><c>external: true</c>, or the legacy <c>external: {name: x}</c>.</summary>
    private static T External<T>(T value, YamlNode node, string path, Func<T, string?, T> external, Func<T, T> local)
    {
        if (node is YamlMap map)
        {
            var name = map.Get("name") is { } n ? String(n, Join(path, "name")) : null;
            return external(value, name);
        }

        return Bool(node, path) ? external(value, null) : local(value);
    }
}
