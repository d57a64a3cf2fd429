using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Control.Compose;
using Dockyard.Control.Stacks;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Parity with <c>docker stack deploy</c>: the same Compose file deployed by the docker CLI on the manager, then each
/// service's spec as the engine stores it compared with <see cref="StackConverter"/>'s for the same file. A field that
/// differs is a converter bug unless the engine fills it by default (<see cref="EngineDefaults"/>) or the deployer
/// fills it after creating objects (secret and config ids).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ComposeParityTests(SwarmFixture swarm)
{
    private const string DefaultUpdateConfig = """{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"}""";

    /// <summary>
    /// Fields the engine (swarmkit's defaults) fills when the request leaves them out or zero — docker's request leaves
    /// them out as StackConverter does: generic path (no indexes) → the value the engine stores.
    /// </summary>
    private static readonly Dictionary<string, string> EngineDefaults = new(StringComparer.Ordinal)
    {
        ["TaskTemplate.ForceUpdate"] = "0",
        ["TaskTemplate.Runtime"] = "\"container\"",
        ["TaskTemplate.ContainerSpec.Isolation"] = "\"default\"",
        ["TaskTemplate.ContainerSpec.StopGracePeriod"] = "10000000000",
        ["TaskTemplate.RestartPolicy"] = """{"Condition":"any","Delay":5000000000,"MaxAttempts":0}""",
        ["TaskTemplate.RestartPolicy.Delay"] = "5000000000",
        ["EndpointSpec"] = """{"Mode":"vip"}""",
        ["EndpointSpec.Mode"] = "\"vip\"",
        ["UpdateConfig"] = DefaultUpdateConfig,
        ["UpdateConfig.FailureAction"] = "\"pause\"",
        ["UpdateConfig.Monitor"] = "5000000000",
        ["UpdateConfig.MaxFailureRatio"] = "0",
        ["UpdateConfig.Order"] = "\"stop-first\"",
        ["RollbackConfig"] = DefaultUpdateConfig,
        ["RollbackConfig.FailureAction"] = "\"pause\"",
        ["RollbackConfig.Monitor"] = "5000000000",
        ["RollbackConfig.MaxFailureRatio"] = "0",
        ["RollbackConfig.Order"] = "\"stop-first\"",
    };

    /// <summary>Filled by the deployer once the objects exist (StackConverter leaves the names only).</summary>
    private static readonly string[] DeployerFilled = ["SecretID", "ConfigID"];

    // docker's stack loader still wants a version; Dockyard ignores it as the Compose specification says.
    private const string Compose = """
        version: "3.9"
        services:
          web:
            image: ${IMAGE}
            entrypoint: /bin/busybox
            command: httpd -f -p 8080 -h /www
            working_dir: /www
            user: "1000:1000"
            hostname: web-{{.Task.Slot}}
            env_file: ./web.env
            environment:
              - PORT=8080
              - GREETING=hello world
            labels:
              app.role: frontend
            healthcheck:
              test: wget -qO- http://127.0.0.1:8080/ || exit 1
              interval: 10s
              timeout: 2s
              retries: 3
              start_period: 5s
            stop_grace_period: 20s
            stop_signal: SIGTERM
            ports:
              - target: 8080
                published: 18080
                mode: host
              - "18443:8443/udp"
            networks: [hostnet]
            volumes:
              - type: tmpfs
                target: /cache
                tmpfs: {size: 16777216}
              - /srv/www:/www:ro
              - web-data:/data
            secrets:
              - source: db_password
                target: db
                uid: "1000"
                mode: 0400
            configs:
              - site
            read_only: true
            init: true
            cap_add: [net_admin]
            cap_drop: [ALL]
            sysctls: {net.core.somaxconn: "1024"}
            ulimits:
              nofile: {soft: 1024, hard: 2048}
            extra_hosts: ["db.local:10.0.0.5"]
            dns: [10.0.0.53]
            deploy:
              replicas: 0
              labels:
                traefik.enable: "true"
              resources:
                limits: {cpus: "0.5", memory: 128M, pids: 100}
                reservations: {cpus: "0.1", memory: 64M}
              restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}
              update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.25}
              rollback_config: {parallelism: 0, order: stop-first, failure_action: continue}
              placement:
                constraints: [node.role==manager]
                preferences: [{spread: node.labels.zone}]
                max_replicas_per_node: 1
          worker:
            image: ${IMAGE}
            command: ["/bin/busybox", "sleep", "3600"]
            networks:
              hostnet: {}
            deploy:
              replicas: 0
              endpoint_mode: dnsrr
              update_config: {parallelism: 1}
          cache:
            image: ${IMAGE}
            command: /bin/busybox sleep 3600
            networks: [hostnet]
            restart: on-failure:2
            deploy:
              mode: global
              placement:
                constraints: [node.platform.os==linux]
        networks:
          hostnet:
            external: true
            name: host
        volumes:
          web-data:
            labels: {backup: daily}
        secrets:
          db_password:
            file: ./db_password.txt
            labels: {kind: password}
        configs:
          site:
            file: ./site.conf
        """;

    [Fact]
    public async Task Docker_stack_deploy_and_StackConverter_make_the_same_service_specs()
    {
        var image = await swarm.BusyboxAsync();
        var stack = "parity" + Guid.NewGuid().ToString("N")[..8];
        var work = Directory.CreateTempSubdirectory("dockyard-parity-").FullName;
        var files = new Dictionary<string, byte[]>
        {
            ["./web.env"] = "FROM_FILE=1\nPORT=80\n"u8.ToArray(),
            ["./db_password.txt"] = "s3cret"u8.ToArray(),
            ["./site.conf"] = "listen 8080\n"u8.ToArray(),
        };
        // docker reads ${IMAGE} from its own environment; Dockyard from the stack environment. Same text either way.
        var text = Compose.Replace("${IMAGE}", image, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(work, "compose.yml"), text);
        foreach (var (name, content) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(work, name[2..]), content);
        }

        var loaded = ComposeLoader.Load([new ComposeSource("compose.yml", text)], new Dictionary<string, string>(), files);
        var plan = StackConverter.Convert(stack, loaded.Project, new Dictionary<string, string>(), new Dictionary<string, string>());
        try
        {
            await swarm.Manager.RunDockerAsync(
                "stack", "deploy", "--resolve-image", "never", "-c", Path.Combine(work, "compose.yml"), stack);
            var differences = new List<string>();
            foreach (var service in plan.Services)
            {
                var inspected = await InspectAsync("service", service.Name);
                foreach (var network in inspected["TaskTemplate"]?["Networks"]?.AsArray() ?? [])
                {
                    // The engine stores network ids; StackConverter names the networks (the engine resolves names on create).
                    var id = network!["Target"]!.GetValue<string>();
                    var named = await swarm.Manager.RunDockerUncheckedAsync("network", "inspect", "--format", "{{.Name}}", id);
                    network["Target"] = named.ExitCode == 0 ? named.StandardOutput.Trim() : id;
                }

                Compare(service.Name, Normalize(service.Spec), Normalize(inspected), "", differences);
            }

            foreach (var (kind, objects) in new[] { ("secret", plan.Secrets), ("config", plan.Configs) })
            {
                foreach (var obj in objects)
                {
                    var inspected = await InspectAsync(kind, obj.Name);
                    var ours = Normalize(obj.Spec!)!.AsObject();
                    if (kind == "secret")
                    {
                        ours.Remove("Data"); // the engine never returns a secret's data
                    }

                    Compare(obj.Name, ours, Normalize(inspected), "", differences);
                }
            }

            Assert.True(differences.Count == 0, "StackConverter differs from docker stack deploy:\n" + string.Join('\n', differences));
            Assert.Equal(3, plan.Services.Count);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<JsonObject> InspectAsync(string kind, string name)
    {
        var result = await swarm.Manager.RunDockerAsync(kind, "inspect", "--format", "{{json .Spec}}", name);
        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }

    /// <summary>Nulls, empty strings, empty arrays and empty objects removed, recursively (Go's omitempty on either side).</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (Normalize(value) is { } kept)
                    {
                        result[key] = kept;
                    }
                }

                return result.Count == 0 ? null : result;
            case JsonArray array:
                var items = array.Select(Normalize).Where(i => i is not null).ToList();
                return items.Count == 0 ? null : new JsonArray([.. items]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0:
                return null;
            case null:
                return null;
            default:
                return JsonNode.Parse(node.ToJsonString());
        }
    }

    private static void Compare(string name, JsonNode? ours, JsonNode? theirs, string path, List<string> differences)
    {
        if (ours is JsonObject a && theirs is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
            {
                var at = path.Length == 0 ? key : $"{path}.{key}";
                if (!a.ContainsKey(key) && (DeployerFilled.Contains(key) ||
                    (EngineDefaults.TryGetValue(Generic(at), out var expected) && expected == b[key]!.ToJsonString())))
                {
                    continue;
                }

                Compare(name, a[key], b[key], at, differences);
            }
        }
        else if (ours is JsonArray x && theirs is JsonArray y && x.Count == y.Count)
        {
            for (var i = 0; i < x.Count; i++)
            {
                Compare(name, x[i], y[i], $"{path}[{i}]", differences);
            }
        }
        else if (!JsonNode.DeepEquals(ours, theirs))
        {
            var builder = new StringBuilder();
            builder.Append(name).Append(' ').Append(path).Append(": Dockyard ").Append(ours?.ToJsonString() ?? "(absent)")
                .Append(", docker ").Append(theirs?.ToJsonString() ?? "(absent)");
            differences.Add(builder.ToString());
        }

    }

    private static string Generic(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "");
}
