using System.Text.Json.Nodes;
using Dockyard.Control.Compose;
using Dockyard.Control.Stacks;

namespace Dockyard.Control.Tests.Stacks;

public sealed class StackConverterTests
{
    private const string Compose = """
        services:
          web:
            image: 127.0.0.1:5000/team/web:1
            command: httpd -f -p 8080 -h /www
            environment:
              - PORT=8080
              - MODE
            labels:
              app.role: frontend
            ports:
              - target: 8080
                published: 8080
                mode: host
            secrets:
              - source: db_password
                target: db
                mode: 0400
            configs:
              - site
            healthcheck:
              test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/"]
              interval: 10s
              timeout: 2s
              retries: 3
            stop_grace_period: 20s
            deploy:
              replicas: 2
              labels:
                traefik.enable: "true"
              resources:
                limits: {cpus: "0.5", memory: 128M, pids: 100}
                reservations: {cpus: "0.1", memory: 64M}
              restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}
              update_config: {parallelism: 1, delay: 10s, order: start-first, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.1}
              rollback_config: {parallelism: 0, order: stop-first}
              placement:
                constraints: [node.role==manager]
                preferences: [{spread: node.labels.zone}]
                max_replicas_per_node: 1
          worker:
            image: busybox
            entrypoint: ["/bin/busybox"]
            command: ["sleep", "3600"]
            networks:
              backend:
                aliases: [jobs]
            deploy:
              mode: global
          cache:
            image: redis:7
            networks: [backend, hostnet]
            volumes:
              - cache-data:/data
            deploy:
              endpoint_mode: dnsrr
        networks:
          backend:
            driver_opts: {encrypted: "true"}
            attachable: true
          hostnet:
            external: true
            name: host
        volumes:
          cache-data:
            labels: {backup: daily}
        secrets:
          db_password:
            file: ./db_password.txt
        configs:
          site:
            name: shared-site
            external: true
        """;

    private static StackPlan Plan()
    {
        var project = ComposeLoader.Load(
            [new ComposeSource("compose.yml", Compose)],
            new Dictionary<string, string> { ["MODE"] = "production" },
            new Dictionary<string, byte[]> { ["./db_password.txt"] = "s3cret"u8.ToArray() }).Project;
        return StackConverter.Convert(
            "shop",
            project,
            new Dictionary<string, string> { ["127.0.0.1:5000/team/web:1"] = "127.0.0.1:5000/team/web:1@sha256:" + new string('a', 64) },
            new Dictionary<string, string> { ["dockyard.access.collection"] = "/Shared/shop" });
    }

    private static JsonNode At(JsonNode node, string path) =>
        path.Split('.').Aggregate(node, (n, part) => int.TryParse(part, out var i) ? n[i]! : n[part]!);

    [Fact]
    public void Networks_AreScopedOverlaysWithLabels_AndExternalOnesAreNotCreated()
    {
        var plan = Plan();

        Assert.Equal(["host", "shop_backend", "shop_default"], plan.Networks.Select(n => n.Name));
        Assert.True(plan.Networks[0].External);
        Assert.Null(plan.Networks[0].Create);
        Assert.Equal(
            """{"Name":"shop_backend","Driver":"overlay","Options":{"encrypted":"true"},"Attachable":true,"Labels":{"com.docker.stack.namespace":"shop","dockyard.access.collection":"/Shared/shop"}}""",
            plan.Networks[1].Create!.ToJsonString());
        Assert.Equal("overlay", plan.Networks[2].Create!["Driver"]!.GetValue<string>());
    }

    [Fact]
    public void FileSecrets_CarryBase64Data_AndExternalConfigsKeepTheirName()
    {
        var plan = Plan();

        var secret = Assert.Single(plan.Secrets);
        Assert.Equal(("shop_db_password", false), (secret.Name, secret.External));
        Assert.Equal("czNjcmV0", secret.Spec!["Data"]!.GetValue<string>());
        Assert.Equal("shop", secret.Spec["Labels"]![StackLabels.Namespace]!.GetValue<string>());
        Assert.Equal(new StackObjectPlan("shared-site", true, null), Assert.Single(plan.Configs));
    }

    [Fact]
    public void Web_IsTheServiceSpecDockerWouldSend()
    {
        var web = Plan().Services[0];
        var spec = web.Spec;

        Assert.Equal(("shop_web", "web", "127.0.0.1:5000/team/web:1"), (web.Name, web.ShortName, web.Image));
        Assert.Equal(
            """{"com.docker.stack.image":"127.0.0.1:5000/team/web:1","com.docker.stack.namespace":"shop","dockyard.access.collection":"/Shared/shop","traefik.enable":"true"}""",
            spec["Labels"]!.ToJsonString());
        var container = At(spec, "TaskTemplate.ContainerSpec");
        Assert.Equal("127.0.0.1:5000/team/web:1@sha256:" + new string('a', 64), container["Image"]!.GetValue<string>());
        Assert.Null(container["Command"]);
        Assert.Equal("""["httpd","-f","-p","8080","-h","/www"]""", container["Args"]!.ToJsonString());
        Assert.Equal("""["MODE=production","PORT=8080"]""", container["Env"]!.ToJsonString());
        Assert.Equal(
            """{"app.role":"frontend","com.docker.stack.namespace":"shop","dockyard.access.collection":"/Shared/shop"}""",
            container["Labels"]!.ToJsonString());
        Assert.Equal(20_000_000_000, container["StopGracePeriod"]!.GetValue<long>());
        Assert.Equal(
            """{"Test":["CMD","wget","-qO-","http://127.0.0.1:8080/"],"Interval":10000000000,"Timeout":2000000000,"Retries":3}""",
            container["Healthcheck"]!.ToJsonString());
        Assert.Equal("""[{"File":{"Name":"db","UID":"0","GID":"0","Mode":256},"SecretName":"shop_db_password"}]""", container["Secrets"]!.ToJsonString());
        Assert.Equal("""[{"File":{"Name":"site","UID":"0","GID":"0","Mode":292},"ConfigName":"shared-site"}]""", container["Configs"]!.ToJsonString());

        Assert.Equal(
            """{"Limits":{"NanoCPUs":500000000,"MemoryBytes":134217728,"Pids":100},"Reservations":{"NanoCPUs":100000000,"MemoryBytes":67108864}}""",
            At(spec, "TaskTemplate.Resources").ToJsonString());
        Assert.Equal(
            """{"Condition":"on-failure","Delay":5000000000,"MaxAttempts":3,"Window":60000000000}""",
            At(spec, "TaskTemplate.RestartPolicy").ToJsonString());
        Assert.Equal(
            """{"Constraints":["node.role==manager"],"Preferences":[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}],"MaxReplicas":1}""",
            At(spec, "TaskTemplate.Placement").ToJsonString());
        Assert.Equal("""[{"Target":"shop_default","Aliases":["web"]}]""", At(spec, "TaskTemplate.Networks").ToJsonString());
        Assert.Equal("""{"Replicated":{"Replicas":2}}""", spec["Mode"]!.ToJsonString());
        Assert.Equal(
            """{"Parallelism":1,"Delay":10000000000,"FailureAction":"rollback","Monitor":30000000000,"MaxFailureRatio":0.1,"Order":"start-first"}""",
            spec["UpdateConfig"]!.ToJsonString());
        Assert.Equal("""{"Parallelism":0,"Order":"stop-first"}""", spec["RollbackConfig"]!.ToJsonString());
        Assert.Equal(
            """{"Ports":[{"Protocol":"tcp","TargetPort":8080,"PublishedPort":8080,"PublishMode":"host"}]}""",
            spec["EndpointSpec"]!.ToJsonString());
    }

    [Fact]
    public void WorkerAndCache_GetModesNetworksAndVolumes()
    {
        var plan = Plan();
        var worker = plan.Services[1].Spec;
        var cache = plan.Services[2].Spec;

        Assert.Equal("""{"Global":{}}""", worker["Mode"]!.ToJsonString());
        Assert.Equal("""["/bin/busybox"]""", At(worker, "TaskTemplate.ContainerSpec.Command").ToJsonString());
        Assert.Equal("""["sleep","3600"]""", At(worker, "TaskTemplate.ContainerSpec.Args").ToJsonString());
        Assert.Equal("""[{"Target":"shop_backend","Aliases":["jobs","worker"]}]""", At(worker, "TaskTemplate.Networks").ToJsonString());
        Assert.Null(worker["UpdateConfig"]);

        Assert.Equal("""{"Replicated":{}}""", cache["Mode"]!.ToJsonString());
        Assert.Equal("""[{"Target":"host"},{"Target":"shop_backend","Aliases":["cache"]}]""", At(cache, "TaskTemplate.Networks").ToJsonString());
        Assert.Equal(
            """[{"Type":"volume","Source":"shop_cache-data","Target":"/data","VolumeOptions":{"Labels":{"backup":"daily","com.docker.stack.namespace":"shop","dockyard.access.collection":"/Shared/shop"}}}]""",
            At(cache, "TaskTemplate.ContainerSpec.Mounts").ToJsonString());
        Assert.Equal("""{"Mode":"dnsrr"}""", cache["EndpointSpec"]!.ToJsonString());
    }

    [Fact]
    public void CommonLabels_WinOverTheFilesLabels()
    {
        var project = ComposeLoader.Load(
            [new ComposeSource("compose.yml", "services:\n  a:\n    image: busybox\n    labels: {dockyard.access.collection: /Other}\n    deploy:\n      labels: {com.docker.stack.namespace: other}\n")],
            new Dictionary<string, string>(),
            new Dictionary<string, byte[]>()).Project;

        var spec = StackConverter.Convert("s", project, new Dictionary<string, string>(), new Dictionary<string, string> { ["dockyard.access.collection"] = "/Mine" })
            .Services[0].Spec;

        Assert.Equal("s", spec["Labels"]![StackLabels.Namespace]!.GetValue<string>());
        Assert.Equal("/Mine", At(spec, "TaskTemplate.ContainerSpec.Labels")["dockyard.access.collection"]!.GetValue<string>());
    }
}
