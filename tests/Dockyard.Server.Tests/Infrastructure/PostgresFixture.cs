using System.Globalization;
using Npgsql;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster: <c>initdb</c> into a temp directory as the <c>postgres</c> OS user (trust
/// authentication, reachable only on 127.0.0.1 and a socket in that directory), <c>pg_ctl start</c> on a free
/// loopback port, and a fast stop of that postmaster (by the PID in its own <c>postmaster.pid</c>) on dispose.
/// Never the system service. Each test gets its own database (<see cref="CreateDatabaseAsync"/>), created with an
/// ICU en-US default collation, as a typical production database has, so tests notice a query that relies on
/// byte-wise string order without asking for it. Meant as a collection fixture.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string Superuser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private TempDirectory? _root;
    private string _pgCtl = string.Empty;
    private string _runuser = string.Empty;
    private bool _started;

    public int Port { get; private set; }

    /// <summary>Connection string of the maintenance database <c>postgres</c>.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    private string DataDirectory => _root!.Combine("data");

    private string LogFile => _root!.Combine("postgres.log");

    public async Task InitializeAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"{initdb} is missing: the PostgreSQL metadata tests need PostgreSQL 15's server binaries. " +
                "Install the Debian package `postgresql` (`apt-get install postgresql`), or run scripts/install-test-deps.sh.");
        }

        _pgCtl = ExternalTool.Require("pg_ctl", "postgresql", Path.Combine(BinDirectory, "pg_ctl"));
        _runuser = ExternalTool.Require("runuser", "util-linux", "/usr/sbin/runuser", "/sbin/runuser");
        var chown = ExternalTool.Require("chown", "coreutils", "/usr/bin/chown", "/bin/chown");

        // The cluster runs as `postgres` (postgres refuses to run as root), so that user owns the directory.
        _root = new TempDirectory("postgres");
        await ProcessRunner.RunAsync(chown, [$"{Superuser}:{Superuser}", _root.Path], timeout: TimeSpan.FromSeconds(10));
        await AsPostgresAsync(initdb, ["-D", DataDirectory, "-A", "trust", "-U", Superuser, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], TimeSpan.FromMinutes(2));

        // A port picked by the kernel can be taken by someone else before postgres binds it: retry with a new one.
        for (var attempt = 1; attempt <= 3 && !_started; attempt++)
        {
            Port = LoopbackPorts.Free();
            var options = string.Join(' ',
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_root.Path}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "-c max_connections=400 -c shared_buffers=32MB");
            var result = await AsPostgresUncheckedAsync(_pgCtl, ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], StartTimeout);
            _started = result.ExitCode == 0;
        }

        if (!_started)
        {
            throw new InvalidOperationException($"PostgreSQL did not start.{Environment.NewLine}--- postgres log ---{Environment.NewLine}{Log()}");
        }

        AdminConnectionString = ConnectionString("postgres");
    }

    /// <summary>
    /// Creates an empty database <c>dockyard_&lt;guid&gt;</c> and returns its connection string. Its default collation
    /// is ICU en-US, not byte order.
    /// </summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "dockyard_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (_started)
        {
            // pg_ctl signals the postmaster by the PID in this cluster's postmaster.pid, nothing else.
            var stopped = await AsPostgresUncheckedAsync(_pgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(45));
            if (stopped.ExitCode != 0 && ReadPostmasterPid() is { } pid)
            {
                await UnixProcess.SignalAsync(pid, UnixProcess.SigKill);
            }

            _started = false;
        }

        NpgsqlConnection.ClearAllPools();
        _root?.Dispose();
    }

    /// <summary>The tail of the server log, for failure messages.</summary>
    public string Log()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join(Environment.NewLine, lines.TakeLast(40));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = Superuser,

        // Many short-lived apps each keep a pool per database: let idle connections go quickly.
        ConnectionIdleLifetime = 5,
        ConnectionPruningInterval = 1,
        MaxPoolSize = 30,
    }.ConnectionString;

    private int? ReadPostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private Task<ProcessResult> AsPostgresAsync(string program, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(_runuser, ["-u", Superuser, "--", program, .. arguments], timeout: timeout, workingDirectory: _root!.Path);

    private Task<ProcessResult> AsPostgresUncheckedAsync(string program, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunUncheckedAsync(_runuser, ["-u", Superuser, "--", program, .. arguments], timeout: timeout, workingDirectory: _root!.Path);
}
