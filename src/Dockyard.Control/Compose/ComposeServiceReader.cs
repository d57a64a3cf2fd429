using System.Text;
using Dockyard.Control.Compose.Yaml;
using static Dockyard.Control.Compose.ComposeReadContext;

namespace Dockyard.Control.Compose;

/// <summary>One entry under <c>services:</c> into a <see cref="ComposeService"/>; references are checked by <see cref="ComposeProjectReader"/>.</summary>
internal static class ComposeServiceReader
{
    public static ComposeService Read(YamlScalar key, YamlNode node, ComposeReadContext context)
    {
        var path = $"services.{key.Value}";
        var map = Map(node, path);
        var service = new ComposeService { Name = key.Value, Image = "" };
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        YamlNode? envFiles = null;
        YamlNode? environmentNode = null;
        var volumes = new List<ComposeMount>();
        var tmpfs = new List<ComposeMount>();
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            var value = entry.Value;
            switch (entry.Key.Value)
            {
                case "image": service = service with { Image = String(value, at) }; break;
                case "command": service = service with { Command = Command(value, at) }; break;
                case "entrypoint": service = service with { Entrypoint = Command(value, at) }; break;
                case "environment": environmentNode = value; break;
                case "env_file": envFiles = value; break;
                case "working_dir": service = service with { WorkingDir = OptionalString(value, at) }; break;
                case "user": service = service with { User = OptionalString(value, at) }; break;
                case "hostname": service = service with { Hostname = OptionalString(value, at) }; break;
                case "labels": service = service with { Labels = StringMap(value, at) }; break;
                case "healthcheck": service = service with { Healthcheck = Healthcheck(value, at, context) }; break;
                case "stop_grace_period": service = service with { StopGracePeriod = Duration(value, at) }; break;
                case "stop_signal": service = service with { StopSignal = OptionalString(value, at) }; break;
                case "ports": service = service with { Ports = Items(value, at).SelectMany((p, i) => ComposePortParser.Parse(p, $"{at}[{i}]", context)).ToList() }; break;
                case "networks": service = service with { Networks = Networks(value, at, context) }; break;
                case "volumes": volumes.AddRange(Items(value, at).Select((v, i) => ComposeMountParser.Parse(v, $"{at}[{i}]", context))); break;
                case "tmpfs": tmpfs.AddRange(Items(value, at, single: true).Select((v, i) => ComposeMountParser.Tmpfs(v, $"{at}[{i}]", context))); break;
                case "secrets": service = service with { Secrets = References(value, at, context) }; break;
                case "configs": service = service with { Configs = References(value, at, context) }; break;
                case "read_only": service = service with { ReadOnly = Bool(value, at) }; break;
                case "init": service = service with { Init = Bool(value, at) }; break;
                case "tty": service = service with { Tty = Bool(value, at) }; break;
                case "stdin_open": service = service with { StdinOpen = Bool(value, at) }; break;
                case "cap_add": service = service with { CapAdd = Strings(value, at, single: false) }; break;
                case "cap_drop": service = service with { CapDrop = Strings(value, at, single: false) }; break;
                case "sysctls": service = service with { Sysctls = StringMap(value, at) }; break;
                case "ulimits": service = service with { Ulimits = Ulimits(value, at, context) }; break;
                case "extra_hosts": service = service with { ExtraHosts = KeyValues(value, at, ':').Select(h => h.Value is null ? h.Key : $"{h.Key}:{h.Value}").ToList() }; break;
                case "dns": service = service with { Dns = Strings(value, at) }; break;
                case "dns_search": service = service with { DnsSearch = Strings(value, at) }; break;
                case "restart": service = service with { Restart = Restart(value, at) }; break;
                case "logging": service = service with { Logging = Logging(value, at, context) }; break;
                case "deploy": service = service with { Deploy = ComposeDeployReader.Read(value, at, context) }; break;
                default: context.Unknown(entry, path); break;
            }
        }

        if (envFiles is not null)
        {
            foreach (var (name, value) in EnvFiles(envFiles, Join(path, "env_file"), context))
            {
                SetVariable(environment, name, value, context);
            }
        }

        if (environmentNode is not null)
        {
            foreach (var (name, value) in KeyValues(environmentNode, Join(path, "environment")))
            {
                SetVariable(environment, name, value, context);
            }
        }

        if (service.Image.Length == 0)
        {
            throw Fail(key, $"{path}: image expected (Dockyard deploys images; build is not supported)");
        }

        return service with { Environment = environment, Volumes = [.. volumes, .. tmpfs] };
    }

    /// <summary>docker/cli's updateEnvironment: an empty or missing value is taken from the stack environment when set there.</summary>
    private static void SetVariable(Dictionary<string, string?> environment, string name, string? value, ComposeReadContext context) =>
        environment[name] = string.IsNullOrEmpty(value) && context.Environment.TryGetValue(name, out var set) ? set : value;

    private static IEnumerable<KeyValuePair<string, string?>> EnvFiles(YamlNode node, string path, ComposeReadContext context)
    {
        var items = node is YamlSequence seq ? seq.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = node is YamlSequence ? $"{path}[{i}]" : path;
            string file;
            var required = true;
            if (item is YamlMap map)
            {
                file = String(map.Get("path") ?? throw Fail(map, $"{at}: path expected"), $"{at}.path");
                required = map.Get("required") is not { } r || Bool(r, $"{at}.required");
            }
            else
            {
                file = String(item, at);
            }

            if (!context.Files.TryGetValue(file, out var bytes))
            {
                if (required)
                {
                    throw Fail(item, $"{at}: {file} was not provided with the deploy (attach it)");
                }

                continue;
            }

            foreach (var variable in ComposeEnvFile.Parse(Encoding.UTF8.GetString(bytes), (line, reason) => new ComposeException(file, line, 1, reason)))
            {
                yield return variable;
            }
        }
    }

    private static List<YamlNode> Items(YamlNode node, string path, bool single = false) => node switch
    {
        YamlSequence seq => [.. seq.Items],
        YamlScalar { IsNull: true } => [],
        YamlScalar when single => [node],
        _ => throw Fail(node, $"{path}: a list expected, not {node.Kind}"),
    };

    private static List<string>? Command(YamlNode node, string path)
    {
        if (node is YamlScalar { IsNull: false } s)
        {
            try
            {
                return [.. ShellWords.Split(s.Value)];
            }
            catch (FormatException e)
            {
                throw Fail(node, $"{path}: {e.Message}");
            }
        }

        return IsNull(node) ? null : [.. Strings(node, path)];
    }

    private static ComposeHealthcheck Healthcheck(YamlNode node, string path, ComposeReadContext context)
    {
        var check = new ComposeHealthcheck();
        YamlNode? testNode = null;
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            var value = entry.Value;
            switch (entry.Key.Value)
            {
                case "test":
                    testNode = value;
                    check = check with { Test = value is YamlScalar { IsNull: false } s ? ["CMD-SHELL", s.Value] : Strings(value, at) };
                    break;
                case "interval": check = check with { Interval = Duration(value, at) }; break;
                case "timeout": check = check with { Timeout = Duration(value, at) }; break;
                case "start_period": check = check with { StartPeriod = Duration(value, at) }; break;
                case "start_interval": check = check with { StartInterval = Duration(value, at) }; break;
                case "retries": check = check with { Retries = Integer(value, at, 0) }; break;
                case "disable": check = check with { Disable = Bool(value, at) }; break;
                default: context.Unknown(entry, path); break;
            }
        }

        return check.Disable && check.Test is { Count: > 0 }
            ? throw Fail(testNode!, $"{path}: test and disable can't be set at the same time")
            : check;
    }

    private static List<ComposeServiceNetwork> Networks(YamlNode node, string path, ComposeReadContext context)
    {
        if (node is not YamlMap map)
        {
            return [.. Strings(node, path, single: false).Select(n => new ComposeServiceNetwork(n, []))];
        }

        var networks = new List<ComposeServiceNetwork>();
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            IReadOnlyList<string> aliases = [];
            foreach (var option in Map(entry.Value, at).Entries)
            {
                if (option.Key.Value == "aliases")
                {
                    aliases = Strings(option.Value, Join(at, "aliases"), single: false);
                }
                else
                {
                    context.Unknown(option, at);
                }
            }

            networks.Add(new ComposeServiceNetwork(entry.Key.Value, aliases));
        }

        return networks;
    }

    private static List<ComposeFileReference> References(YamlNode node, string path, ComposeReadContext context)
    {
        var references = new List<ComposeFileReference>();
        var items = Items(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (items[i] is not YamlMap map)
            {
                references.Add(new ComposeFileReference { Source = String(items[i], at) });
                continue;
            }

            var reference = new ComposeFileReference { Source = "" };
            foreach (var entry in map.Entries)
            {
                var key = Join(at, entry.Key.Value);
                reference = entry.Key.Value switch
                {
                    "source" => reference with { Source = String(entry.Value, key) },
                    "target" => reference with { Target = String(entry.Value, key) },
                    "uid" => reference with { Uid = String(entry.Value, key) },
                    "gid" => reference with { Gid = String(entry.Value, key) },
                    "mode" => reference with { Mode = (uint)Integer(entry.Value, key, 0, uint.MaxValue) },
                    _ => Warned(reference, entry, at, context),
                };
            }

            references.Add(reference.Source.Length > 0 ? reference : throw Fail(map, $"{at}: source expected"));
        }

        return references;
    }

    private static List<ComposeUlimit> Ulimits(YamlNode node, string path, ComposeReadContext context)
    {
        var limits = new List<ComposeUlimit>();
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            if (entry.Value is YamlMap map)
            {
                var soft = map.Get("soft") is { } s ? Integer(s, Join(at, "soft")) : throw Fail(map, $"{at}: soft and hard expected");
                var hard = map.Get("hard") is { } h ? Integer(h, Join(at, "hard")) : throw Fail(map, $"{at}: soft and hard expected");
                foreach (var extra in map.Entries.Where(e => e.Key.Value is not ("soft" or "hard")))
                {
                    context.Unknown(extra, at);
                }

                limits.Add(new ComposeUlimit(entry.Key.Value, soft, hard));
            }
            else
            {
                var single = Integer(entry.Value, at);
                limits.Add(new ComposeUlimit(entry.Key.Value, single, single));
            }
        }

        return limits;
    }

    private static string Restart(YamlNode node, string path)
    {
        var text = String(node, path);
        var name = text.Split(':')[0];
        return name is "no" or "always" or "unless-stopped" or "on-failure"
            ? text
            : throw Fail(node, $"{path}: one of no, always, unless-stopped, on-failure[:max] expected, not '{text}'");
    }

    private static ComposeLogging Logging(YamlNode node, string path, ComposeReadContext context)
    {
        var logging = new ComposeLogging(null, new Dictionary<string, string>());
        foreach (var entry in Map(node, path).Entries)
        {
            var at = Join(path, entry.Key.Value);
            logging = entry.Key.Value switch
            {
                "driver" => logging with { Driver = String(entry.Value, at) },
                "options" => logging with { Options = StringMap(entry.Value, at) },
                _ => Warned(logging, entry, path, context),
            };
        }

        return logging;
    }

    private static T Warned<T>(T value, YamlEntry entry, string path, ComposeReadContext context)
    {
        context.Unknown(entry, path);
        return value;
    }
}
