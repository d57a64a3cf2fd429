using System.Text;
using Dockyard.Control.Compose;

namespace Dockyard.Control.Tests.Compose;

public sealed class ComposeLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private static readonly Dictionary<string, byte[]> NoFiles = [];

    internal static ComposeLoadResult Load(string text, Dictionary<string, string>? environment = null, Dictionary<string, byte[]>? files = null) =>
        ComposeLoader.Load([new ComposeSource("compose.yml", text)], environment ?? NoEnvironment, files ?? NoFiles);

    private static ComposeException Refused(string text, Dictionary<string, string>? environment = null) =>
        Assert.Throws<ComposeException>(() => Load(text, environment));

    [Fact]
    public void Variables_AreInterpolatedInValues()
    {
        var result = Load("""
            services:
              web:
                image: 127.0.0.1:5000/team/web:${TAG:-latest}
                deploy:
                  replicas: ${REPLICAS}
                environment:
                  - GREETING=${GREETING}
            """, new() { ["REPLICAS"] = "3", ["GREETING"] = "" });

        var web = Assert.Single(result.Project.Services);
        Assert.Equal("127.0.0.1:5000/team/web:latest", web.Image);
        Assert.Equal(3, web.Deploy.Replicas);
        Assert.Equal("", web.Environment["GREETING"]);
    }

    [Fact]
    public void UnsupportedKeys_AreWarningsWithTheirPosition_AndExtensionsAreSilent()
    {
        var result = Load("""
            x-defaults: &defaults
              restart_note: ignored
            services:
              web:
                image: busybox
                container_name: web1
                depends_on: [db]
                privileged: true
                x-team: platform
                deploy:
                  resources:
                    limits:
                      cpus: "0.5"
                      devices: []
              db:
                image: postgres
                network_mode: host
            """);

        Assert.Equal(
            [
                new ComposeWarning("compose.yml", 6, 5, "services.web.container_name: not supported by Dockyard stacks; ignored"),
                new ComposeWarning("compose.yml", 7, 5, "services.web.depends_on: not supported by Dockyard stacks; ignored"),
                new ComposeWarning("compose.yml", 8, 5, "services.web.privileged: not supported by Dockyard stacks; ignored"),
                new ComposeWarning("compose.yml", 14, 11, "services.web.deploy.resources.limits.devices: not supported by Dockyard stacks; ignored"),
                new ComposeWarning("compose.yml", 17, 5, "services.db.network_mode: not supported by Dockyard stacks; ignored"),
            ],
            result.Warnings);
        Assert.Equal(500_000_000, result.Project.Services[0].Deploy.Limits!.NanoCpus);
    }

    [Fact]
    public void TwoFiles_MergeLikeDockerComposeConfig()
    {
        const string Base = """
            services:
              web:
                image: web:1
                command: httpd -f -p 8080
                environment:
                  A: "1"
                  B: "2"
                labels: [team=web, tier=front]
                ports:
                  - "8080:8080"
                  - target: 9090
                    published: 9090
                secrets: [db, api]
                deploy:
                  replicas: 2
                  placement:
                    constraints: [node.role==worker]
            secrets:
              db: {external: true}
              api: {external: true}
              extra: {external: true}
            """;
        const string Override = """
            services:
              web:
                image: web:2
                command: [httpd, -f, -p, "9000"]
                environment:
                  - B=two
                  - C=3
                labels:
                  tier: back
                ports:
                  - target: 8080
                    published: 8080
                    mode: host
                  - "7070:7070"
                secrets:
                  - source: db
                    target: db_password
                  - extra
                deploy:
                  placement:
                    constraints: [node.labels.zone==a]
            """;

        var result = ComposeLoader.Load(
            [new ComposeSource("compose.yml", Base), new ComposeSource("compose.prod.yml", Override)], NoEnvironment, NoFiles);

        var web = Assert.Single(result.Project.Services);
        Assert.Equal("web:2", web.Image);
        Assert.Equal(["httpd", "-f", "-p", "9000"], web.Command);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "two", ["C"] = "3" }, web.Environment);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "web", ["tier"] = "back" }, web.Labels);
        Assert.Equal(
            [new ComposePort(8080, 8080, "tcp", "host"), new ComposePort(9090, 9090, "tcp", "ingress"), new ComposePort(7070, 7070, "tcp", "ingress")],
            web.Ports);
        Assert.Equal(["db_password", null, null], web.Secrets.Select(s => s.Target));
        Assert.Equal(["db", "api", "extra"], web.Secrets.Select(s => s.Source));
        Assert.Equal(2, web.Deploy.Replicas);
        Assert.Equal(["node.role==worker", "node.labels.zone==a"], web.Deploy.Constraints);
    }

    [Fact]
    public void AnEmptyServiceInAnOverride_KeepsTheService()
    {
        var result = ComposeLoader.Load(
            [new ComposeSource("compose.yml", "services:\n  web:\n    image: a\n"), new ComposeSource("compose.dev.yml", "services:\n  web:\n  extra:\n    image: b\n")],
            NoEnvironment,
            NoFiles);

        Assert.Equal(["a", "b"], result.Project.Services.Select(s => s.Image));
    }

    [Fact]
    public void ErrorsInTheSecondFile_NameThatFile()
    {
        var e = Assert.Throws<ComposeException>(() => ComposeLoader.Load(
            [new ComposeSource("compose.yml", "services:\n  web:\n    image: a\n"), new ComposeSource("compose.prod.yml", "services:\n  web:\n    stop_grace_period: soon\n")],
            NoEnvironment,
            NoFiles));

        Assert.Equal(("compose.prod.yml", 3, 24), (e.File, e.Line, e.Column));
    }

    [Fact]
    public void TenMebibytes_AreRefusedBeforeParsing()
    {
        // Unbalanced brackets: were it parsed, the YAML error would come first.
        var text = new string('[', 10 * 1024 * 1024);

        var e = Refused(text);

        Assert.Equal("compose.yml is 10,485,760 bytes; the limit is 1 MiB", e.Reason);
        Assert.Equal((0, 0), (e.Line, e.Column));
    }

    [Fact]
    public void BillionLaughs_AreRefused()
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        yaml.Append("services:\n  web:\n    image: busybox\n    command: *a9\n");

        var e = Refused(yaml.ToString());

        Assert.Contains("more than 1,000,000 YAML nodes", e.Reason, StringComparison.Ordinal);
        Assert.Equal((6, 55), (e.Line, e.Column)); // the tenth *a4 on a5's line crosses the bound
    }

    [Fact]
    public void AnchorsAndMergeKeys_Work()
    {
        var result = Load("""
            x-service: &service
              image: busybox
              environment:
                MODE: shared
              deploy:
                replicas: 2
            services:
              a:
                <<: *service
              b:
                <<: *service
                image: alpine
                command: &cmd [sleep, "300"]
              c:
                <<: *service
                command: *cmd
            """);

        Assert.Equal(["busybox", "alpine", "busybox"], result.Project.Services.Select(s => s.Image));
        Assert.All(result.Project.Services, s => Assert.Equal(2, s.Deploy.Replicas));
        Assert.Equal(["sleep", "300"], result.Project.Services[2].Command);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void EnvFileThenEnvironment_AndFileSecrets_ComeFromTheGivenFiles()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["./web.env"] = "# comment\nA=from-file\nB=from-file\n\nC\nQUOTED=\"kept\"\n"u8.ToArray(),
            ["./db_password.txt"] = "s3cret"u8.ToArray(),
        };

        var result = Load("""
            services:
              web:
                image: busybox
                env_file: ./web.env
                environment:
                  B: from-environment
                  D:
                secrets: [db_password]
            secrets:
              db_password:
                file: ./db_password.txt
            """, new() { ["C"] = "from-stack", ["D"] = "stack-d" }, files);

        var web = result.Project.Services[0];
        Assert.Equal(
            new Dictionary<string, string?> { ["A"] = "from-file", ["B"] = "from-environment", ["C"] = "from-stack", ["QUOTED"] = "\"kept\"", ["D"] = "stack-d" },
            web.Environment);
        Assert.Equal("s3cret"u8.ToArray(), result.Project.Secrets[0].Content.ToArray());
    }

    [Fact]
    public void ShortAndLongSyntax_AreTyped()
    {
        var result = Load("""
            services:
              web:
                image: busybox
                entrypoint: /bin/busybox
                command: ["httpd", "-f"]
                healthcheck:
                  test: wget -qO- http://127.0.0.1:8080/
                  interval: 10s
                  retries: 3
                ports:
                  - "127.0.0.1:8000-8001:80-81/udp"
                volumes:
                  - data:/data:ro,nocopy
                  - /srv/www:/www:rshared
                  - /anonymous
                  - type: tmpfs
                    target: /cache
                    tmpfs: {size: 64m}
                tmpfs: /run
                configs:
                  - source: site
                    target: /etc/site.conf
                    mode: 0440
                    uid: "100"
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                  nproc: 512
                extra_hosts: {db.local: 10.0.0.5}
                cap_add: [net_admin]
                stop_grace_period: 1m30s
            volumes:
              data: {}
            configs:
              site: {external: true}
            """);

        var web = result.Project.Services[0];
        Assert.Equal(["/bin/busybox"], web.Entrypoint);
        Assert.Equal(["CMD-SHELL", "wget -qO- http://127.0.0.1:8080/"], web.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Healthcheck.Interval);
        Assert.Equal([new ComposePort(80, 8000, "udp", "ingress"), new ComposePort(81, 8001, "udp", "ingress")], web.Ports);
        Assert.Equal(
            [
                new ComposeMount { Type = "volume", Source = "data", Target = "/data", ReadOnly = true, NoCopy = true },
                new ComposeMount { Type = "bind", Source = "/srv/www", Target = "/www", Propagation = "rshared" },
                new ComposeMount { Type = "volume", Target = "/anonymous" },
                new ComposeMount { Type = "tmpfs", Target = "/cache", TmpfsSize = 64 * 1024 * 1024 },
                new ComposeMount { Type = "tmpfs", Target = "/run" },
            ],
            web.Volumes);
        Assert.Equal(new ComposeFileReference { Source = "site", Target = "/etc/site.conf", Mode = 288, Uid = "100" }, web.Configs[0]);
        Assert.Equal([new ComposeUlimit("nofile", 1024, 2048), new ComposeUlimit("nproc", 512, 512)], web.Ulimits);
        Assert.Equal(["db.local:10.0.0.5"], web.ExtraHosts);
        Assert.Equal(TimeSpan.FromSeconds(90), web.StopGracePeriod);
        Assert.Equal("site", result.Project.Configs[0].Name);
    }
}
