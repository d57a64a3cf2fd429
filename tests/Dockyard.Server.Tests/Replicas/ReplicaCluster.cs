using System.Text;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Tests.Shared;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// N Dockyard replicas (real processes) sharing one database and one storage, behind a private nginx round-robin
/// load balancer. The shared state is what a scaled-out deployment shares: a fresh PostgreSQL database and a fresh
/// bucket on Ceph RGW (S3). Locks are left at <c>Dockyard:Coordination:Locks=Auto</c>, which with PostgreSQL (or S3)
/// means database leases, so the replicas cannot lean on sharing a process.
/// </summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    private readonly TempDirectory _shared;
    private readonly List<DockyardProcess> _replicas = [];

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
            // A replica killed while holding a lease blocks that key for at most this long.
            ["DOCKYARD__COORDINATION__LEASEDURATION"] = "00:00:10",
        };
    }

    public IReadOnlyList<DockyardProcess> Replicas => _replicas;

    public NginxLoadBalancer LoadBalancer { get; private set; } = null!;

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
            var others = await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => DockyardProcess.StartAsync(cluster.ReplicaEnvironment(migrate: false))));
            cluster._replicas.AddRange(others);
            cluster.LoadBalancer = await NginxLoadBalancer.StartAsync([.. cluster._replicas.Select(r => r.Port)]);
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

        _shared.Dispose();
    }

    private Dictionary<string, string> ReplicaEnvironment(bool migrate) => new(SharedEnvironment)
    {
        ["DOCKYARD__DATABASE__MIGRATEONSTART"] = migrate ? "true" : "false",
    };

    private static string Tail(string text, int chars) => text.Length > chars ? text[^chars..] : text;
}
