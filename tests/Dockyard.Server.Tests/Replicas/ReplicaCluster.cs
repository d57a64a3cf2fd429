using System.Text;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Tests.Shared;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// N Dockyard replicas (real processes) sharing one database and one storage, behind a private nginx round-robin
/// load balancer. The shared state is what a scaled-out deployment shares: a fresh PostgreSQL database and a fresh
/// bucket on Ceph RGW (S3). Locks are left at <c>Dockyard:Coordination:Locks=Auto</c>, which with PostgreSQL (or S3)
/// means database leases, so the replicas cannot lean on sharing a process. Token authentication is on, set up as
/// docs/operations.md says: the public URL is the balancer's, the balancer is a trusted proxy, the first replica starts
/// alone and creates the administrator before the others start. <see cref="CreateClient"/> gives clients that log in
/// as that administrator (a token issued by whichever replica the balancer picked, used on all of them).
/// </summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    private readonly TempDirectory _shared;
    private readonly List<DockyardProcess> _replicas = [];

    /// <summary>The first administrator (created by the first replica from <c>DOCKYARD_ADMIN_PASSWORD</c>).</summary>
    public const string AdminUsername = "admin";

    public const string AdminPassword = "Replica-admin-secret-7";

    private readonly int _balancerPort = LoopbackPorts.Free();

    private ReplicaCluster(TempDirectory shared, string connectionString, CephRgwFixture ceph, string bucket)
    {
        _shared = shared;
        ConnectionString = connectionString;
        Bucket = bucket;
        SharedEnvironment = new Dictionary<string, string>
        {
            ["DOCKYARD__DATABASE__PROVIDER"] = "Postgres",
            ["DOCKYARD__DATABASE__CONNECTIONSTRING"] = connectionString,
            // Replicas share the secrets key with the database (docs/operations.md, "Secrets key").
            ["DOCKYARD__SECRETS__KEYFILE"] = shared.Combine("secrets.key"),
            ["DOCKYARD__STORAGE__DRIVER"] = "S3",
            ["DOCKYARD__STORAGE__S3__ENDPOINT"] = ceph.Endpoint,
            ["DOCKYARD__STORAGE__S3__BUCKET"] = bucket,
            ["DOCKYARD__STORAGE__S3__PREFIX"] = "registry",
            ["DOCKYARD__STORAGE__S3__ACCESSKEY"] = ceph.AccessKey,
            ["DOCKYARD__STORAGE__S3__SECRETKEY"] = ceph.SecretKey,
            ["DOCKYARD__STORAGE__S3__FORCEPATHSTYLE"] = "true",
            // The lease duration is the default one (Dockyard:Coordination:LeaseDuration): the tests prove what ships.
            ["DOCKYARD__AUTH__ENABLED"] = "true",
            ["DOCKYARD__PUBLICURL"] = $"http://127.0.0.1:{_balancerPort}",
            ["DOCKYARD__AUDIT__TRUSTEDPROXIES__0"] = "127.0.0.1",
            ["DOCKYARD_ADMIN_PASSWORD"] = AdminPassword,
        };
    }

    public IReadOnlyList<DockyardProcess> Replicas => _replicas;

    public NginxLoadBalancer LoadBalancer { get; private set; } = null!;

    /// <summary>Answers the replicas' token challenges as the administrator; shared, so tokens are reused across clients.</summary>
    public RegistryBearerHandler Credentials { get; } = new(AdminUsername, AdminPassword);

    /// <summary>A client that logs in as the administrator, aimed at <paramref name="baseAddress"/> (the balancer or one replica).</summary>
    public HttpClient CreateClient(Uri baseAddress, TimeSpan timeout) => new(Credentials, disposeHandler: false) { BaseAddress = baseAddress, Timeout = timeout };

    /// <summary>The shared PostgreSQL database (a fresh one per cluster).</summary>
    public string ConnectionString { get; }

    /// <summary>The shared S3 bucket (a fresh one per cluster; objects under <c>registry/</c>).</summary>
    public string Bucket { get; }

    /// <summary>
    /// A --data directory for CLI verbs run against the cluster (database and storage come from
    /// <see cref="SharedEnvironment"/>); private (0700) as Dockyard makes its own, else fsck reports it.
    /// </summary>
    public string ToolDataDirectory
    {
        get
        {
            var path = Directory.CreateDirectory(_shared.Combine("tool-data")).FullName;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return path;
        }
    }

    /// <summary>The environment every replica (and every CLI verb run against the cluster's data) gets.</summary>
    public IReadOnlyDictionary<string, string> SharedEnvironment { get; }

    /// <summary>Starts <paramref name="count"/> replicas (the first one migrates the database, the others do not) and the load balancer.</summary>
    public static async Task<ReplicaCluster> StartAsync(int count, PostgresFixture postgres, CephRgwFixture ceph)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var bucket = await ceph.CreateBucketAsync();
        var cluster = new ReplicaCluster(new TempDirectory("replicas"), connectionString, ceph, bucket);
        try
        {
            // One replica applies migrations (docs/operations.md: MigrateOnStart on one replica only).
            cluster._replicas.Add(await DockyardProcess.StartAsync(cluster.ReplicaEnvironment(migrate: true)));
            // It creates the administrator; replicas starting before that is done could try too (docs/operations.md).
            await WaitForAdministratorAsync(cluster._replicas[0]);
            var others = await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => DockyardProcess.StartAsync(cluster.ReplicaEnvironment(migrate: false))));
            cluster._replicas.AddRange(others);
            cluster.LoadBalancer = await NginxLoadBalancer.StartAsync([.. cluster._replicas.Select(r => r.Port)], cluster._balancerPort);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every replica's and the load balancer's recent output, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _replicas.Count; i++)
        {
            text.AppendLine($"--- replica {i} ({_replicas[i].BaseAddress}, pid {_replicas[i].Pid}) ---").AppendLine(Tail(_replicas[i].Output, 6000));
        }

        if (LoadBalancer is not null)
        {
            text.AppendLine("--- nginx ---").AppendLine(LoadBalancer.Diagnostics);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (LoadBalancer is not null)
        {
            await LoadBalancer.DisposeAsync();
        }

        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Credentials.Dispose();

        _shared.Dispose();
    }

    private static async Task WaitForAdministratorAsync(DockyardProcess replica)
    {
        using var http = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUsername}:{AdminPassword}"));
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (attempt >= 100)
            {
                throw new InvalidOperationException($"the administrator could not sign in on the first replica: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(100);
        }
    }

    private Dictionary<string, string> ReplicaEnvironment(bool migrate) => new(SharedEnvironment)
    {
        ["DOCKYARD__DATABASE__MIGRATEONSTART"] = migrate ? "true" : "false",
    };

    private static string Tail(string text, int chars) => text.Length > chars ? text[^chars..] : text;
}
