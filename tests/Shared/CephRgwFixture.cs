using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Tests.Shared;

/// <summary>
/// A private Ceph cluster serving S3 on loopback, for tests of the S3 storage driver: one monitor (msgr v2 only, no
/// cephx), one OSD on memstore (RAM, pool size 1) and a radosgw (beast), all in a temp directory with every port
/// inside one free range picked at run time. An S3 user is made with radosgw-admin. Every daemon runs in the
/// foreground as a child of this process and is killed by its own PID on dispose. Meant as a collection fixture
/// (about 15 s to start). A missing Ceph or a cluster that does not come up fails with the daemon logs attached.
/// </summary>
/// <remarks>This file is linked into several test projects (tests/Shared).</remarks>
public sealed class CephRgwFixture : IAsyncLifetime
{
    /// <summary>Ports the daemons may use: monitor at the base, OSD/radosgw messengers next, the S3 frontend last.</summary>
    private const int PortRangeSize = 48;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] RequiredTools = ["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph"];

    private readonly List<Process> _daemons = [];
    private readonly StringBuilder _toolOutput = new();
    private string _root = string.Empty;
    private int _bucketCounter;

    /// <summary><c>http://127.0.0.1:PORT</c> of radosgw.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    public string AccessKey { get; } = "DY" + Guid.NewGuid().ToString("N")[..18].ToUpperInvariant();

    public string SecretKey { get; } = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>A client for test setup and inspection (path-style, checksums only when required, as Ceph 16 needs).</summary>
    public IAmazonS3 Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var tool in RequiredTools)
        {
            if (FindOnPath(tool) is null)
            {
                throw new InvalidOperationException(
                    $"'{tool}' is not installed: the S3 tests run a private Ceph RGW. Install the Debian packages with " +
                    "`apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd` (scripts/install-test-deps.sh does).");
            }
        }

        _root = Path.Combine(Path.GetTempPath(), "dockyard-ceph-" + Guid.NewGuid().ToString("N")[..12]);
        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                await StartClusterAsync(FreePortRange(), CancellationToken.None);
                return;
            }
            catch (Exception ex) when (attempt < 3 && ex is not OperationCanceledException)
            {
                // Most likely someone took a port of our range between the probe and the bind: new range, new cluster.
                last = ex;
                await StopDaemonsAsync();
            }
        }

        throw new InvalidOperationException("Ceph did not start.", last);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await StopDaemonsAsync();
        try
        {
            if (_root.Length > 0 && Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
            // A daemon may still be flushing its log; the temp directory is cleaned by the OS eventually.
        }
    }

    /// <summary>Creates a new empty bucket with a unique name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"dockyard-{Interlocked.Increment(ref _bucketCounter)}-{Guid.NewGuid().ToString("N")[..8]}");
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>The tail of every daemon log, for failure messages.</summary>
    public string Logs()
    {
        var text = new StringBuilder();
        var logDirectory = Path.Combine(_root, "log");
        if (Directory.Exists(logDirectory))
        {
            foreach (var file in Directory.GetFiles(logDirectory))
            {
                string content;
                try
                {
                    using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    using var reader = new StreamReader(stream);
                    content = reader.ReadToEnd();
                }
                catch (IOException ex)
                {
                    content = ex.Message;
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"--- {Path.GetFileName(file)} (tail) ---").AppendLine(content.Length > 6000 ? content[^6000..] : content);
            }
        }

        lock (_toolOutput)
        {
            text.AppendLine("--- tool and daemon output ---").AppendLine(_toolOutput.Length > 6000 ? _toolOutput.ToString()[^6000..] : _toolOutput.ToString());
        }

        return text.ToString();
    }

    private async Task StartClusterAsync(int basePort, CancellationToken cancellationToken)
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        foreach (var directory in new[] { "run", "log", "mon", "osd/osd.0", "rgw", "crash" })
        {
            Directory.CreateDirectory(Path.Combine(_root, directory));
        }

        var fsid = Guid.NewGuid().ToString("D");
        var rgwPort = basePort + PortRangeSize - 1;
        var conf = Path.Combine(_root, "ceph.conf");
        await File.WriteAllTextAsync(conf, CephConf(fsid, basePort, rgwPort), cancellationToken);
        string[] c = ["-c", conf];

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var monmap = Path.Combine(_root, "monmap");
            await RunAsync("monmaptool", ["--create", "--fsid", fsid, "--addv", "a", $"[v2:127.0.0.1:{basePort}]", monmap], timeout.Token);
            await RunAsync("ceph-mon", [.. c, "--mkfs", "-i", "a", "--monmap", monmap], timeout.Token);
            StartDaemon("ceph-mon", [.. c, "-f", "-i", "a"]);
            var osdId = (await RunAsync("ceph", [.. c, "--connect-timeout", "30", "osd", "create"], timeout.Token)).Trim();
            await RunAsync("ceph-osd", [.. c, "--mkfs", "-i", osdId], timeout.Token);
            StartDaemon("ceph-osd", [.. c, "-f", "-i", osdId]);
            StartDaemon("radosgw", [.. c, "-f", "-n", "client.rgw"]);

            Endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{rgwPort}");
            await WaitForRgwAsync(timeout.Token);
            await RunAsync("radosgw-admin", [.. c, "user", "create", "--uid=dockyard", "--display-name=Dockyard tests", $"--access-key={AccessKey}", $"--secret={SecretKey}"], timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"The private Ceph cluster did not come up ({ex.GetType().Name}: {ex.Message}).{Environment.NewLine}{Logs()}", ex);
        }

        Client = new AmazonS3Client(
            new BasicAWSCredentials(AccessKey, SecretKey),
            new AmazonS3Config
            {
                ServiceURL = Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
    }

    private string CephConf(string fsid, int basePort, int rgwPort)
    {
        var r = _root;
        return string.Create(CultureInfo.InvariantCulture, $"""
            [global]
            fsid = {fsid}
            mon_host = v2:127.0.0.1:{basePort}
            mon_initial_members = a
            public_addr = 127.0.0.1
            auth_cluster_required = none
            auth_service_required = none
            auth_client_required = none
            ms_mon_client_mode = crc
            ms_bind_msgr1 = false
            ms_bind_msgr2 = true
            ms_bind_port_min = {basePort + 1}
            ms_bind_port_max = {basePort + PortRangeSize - 2}
            osd_pool_default_size = 1
            osd_pool_default_min_size = 1
            mon_allow_pool_size_one = true
            mon_warn_on_pool_no_redundancy = false
            osd_pool_default_pg_autoscale_mode = off
            osd_pool_default_pg_num = 8
            osd_pool_default_pgp_num = 8
            mon_data_avail_warn = 1
            mon_data_avail_crit = 0
            run_dir = {r}/run
            log_file = {r}/log/$name.log
            admin_socket = {r}/run/$name.asok
            pid_file = {r}/run/$name.pid
            crash_dir = {r}/crash
            keyring = {r}/keyring
            [mon]
            mon_data = {r}/mon/$name
            [osd]
            osd_data = {r}/osd/$name
            osd_objectstore = memstore
            memstore_device_bytes = 4294967296
            osd_max_object_name_len = 256
            osd_max_object_namespace_len = 64
            [client.rgw]
            rgw_frontends = beast endpoint=127.0.0.1:{rgwPort}
            rgw_data = {r}/rgw

            """);
    }

    private void StartDaemon(string tool, string[] arguments)
    {
        var process = new Process { StartInfo = StartInfo(tool, arguments), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(tool, e.Data);
        process.ErrorDataReceived += (_, e) => Append(tool, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add(process);
    }

    private async Task<string> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(tool, arguments) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish in time.");
        }

        var output = await stdout;
        Append(tool, output + await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }

        return output;
    }

    private async Task WaitForRgwAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            foreach (var daemon in _daemons)
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"{daemon.StartInfo.FileName} exited with {daemon.ExitCode} during start.");
                }
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // one slow answer; try again
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private async Task StopDaemonsAsync()
    {
        // Reverse order (gateway, OSD, monitor), each by the PID we started it with.
        for (var i = _daemons.Count - 1; i >= 0; i--)
        {
            var daemon = _daemons[i];
            try
            {
                if (!daemon.HasExited)
                {
                    daemon.Kill();
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    await daemon.WaitForExitAsync(wait.Token);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // already gone, or stuck in the kernel: nothing more a test can do
            }

            daemon.Dispose();
        }

        _daemons.Clear();
    }

    private void Append(string tool, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            lock (_toolOutput)
            {
                _toolOutput.Append('[').Append(tool).Append("] ").AppendLine(line);
            }
        }
    }

    private static ProcessStartInfo StartInfo(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(FindOnPath(tool)!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Never pick up a system /etc/ceph or a CEPH_CONF of the machine: everything comes from -c.
        info.Environment.Remove("CEPH_CONF");
        info.Environment.Remove("CEPH_ARGS");
        return info;
    }

    private static string? FindOnPath(string tool)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/bin", "/sbin"]);
        return directories.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);
    }

    /// <summary>A base port such that the whole range is free on 127.0.0.1 right now (below the kernel's ephemeral range).</summary>
    private static int FreePortRange()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = Random.Shared.Next(20000, 32000 - PortRangeSize);
            if (Enumerable.Range(basePort, PortRangeSize).All(IsFree))
            {
                return basePort;
            }
        }

        throw new InvalidOperationException("No free range of loopback ports for Ceph.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
