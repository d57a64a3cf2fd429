using System.Diagnostics;
using System.Globalization;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// A private dockerd for the end-to-end tests: its own data-root, exec-root (so its own managed containerd),
/// unix socket, pidfile and empty daemon.json, with no bridge network and no iptables changes.
/// Containers must be run with <c>--network none</c> or <c>--network host</c>.
/// Meant to be shared as a collection fixture.
/// </summary>
public sealed class DockerDaemonFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] StorageDrivers = ["overlay2", "vfs"];

    private readonly OutputBuffer _log = new();
    private readonly List<string> _attempts = [];
    private TempDirectory? _root;
    private Process? _dockerd;
    private string? _startedDriver;
    private string _dockerCli = "docker";
    private Dictionary<string, string?> _cliEnvironment = [];

    /// <summary>unix:// address of this daemon's API socket.</summary>
    public string DockerHost { get; private set; } = string.Empty;

    /// <summary>Storage driver the daemon ended up with (overlay2, or vfs where overlay2 cannot work).</summary>
    public string StorageDriver { get; private set; } = string.Empty;

    /// <summary>Wall time from spawning dockerd until <c>docker info</c> answered.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>PID of the dockerd this fixture started.</summary>
    public int DaemonPid => _dockerd?.Id ?? 0;

    /// <summary>Recent dockerd output, for failure messages.</summary>
    public string DaemonLog => _log.Tail();

    public async Task InitializeAsync()
    {
        var dockerd = ExternalTool.Dockerd();
        _dockerCli = ExternalTool.Docker();
        ExternalTool.Require("containerd", "containerd", "/usr/bin/containerd", "/usr/sbin/containerd");
        ExternalTool.Require("runc", "runc", "/usr/sbin/runc", "/usr/bin/runc");

        // Short path: the unix socket path must stay under 108 bytes.
        _root = new TempDirectory("dockerd");
        var configDir = Directory.CreateDirectory(_root.Combine("cli-config")).FullName;
        File.WriteAllText(Path.Combine(configDir, "config.json"), "{}");
        var socket = _root.Combine("docker.sock");
        DockerHost = "unix://" + socket;
        _cliEnvironment = new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = DockerHost,
            ["DOCKER_CONFIG"] = configDir, // no credential helpers or contexts from the machine's ~/.docker
            ["DOCKER_CONTEXT"] = null,
            ["DOCKER_TLS_VERIFY"] = null,
            ["DOCKER_CERT_PATH"] = null,
            ["DOCKER_CLI_HINTS"] = "false",
            ["DOCKER_BUILDKIT"] = null,
        };

        var stopwatch = Stopwatch.StartNew();
        foreach (var driver in StorageDrivers)
        {
            stopwatch.Restart();
            if (await TryStartAsync(dockerd, driver))
            {
                _startedDriver = driver;
                StartupTime = stopwatch.Elapsed;
                StorageDriver = (await RunDockerAsync("info", "--format", "{{.Driver}}")).StandardOutput.Trim();
                return;
            }
        }

        throw new InvalidOperationException(
            $"dockerd did not become ready with any storage driver ({string.Join("; ", _attempts)}).{Environment.NewLine}" +
            $"--- dockerd log ---{Environment.NewLine}{_log.Tail()}");
    }

    public async Task DisposeAsync()
    {
        await StopDaemonAsync();
        if (_root is not null)
        {
            await UnmountUnderAsync(_root.Path);
            _root.Dispose();
        }
    }

    /// <summary>
    /// Stops the daemon (SIGTERM: its containers die, its in-memory event ring is lost) and starts it again on the same
    /// data-root, socket and storage driver; for tests of clients that must survive an engine restart.
    /// </summary>
    public async Task RestartAsync()
    {
        var driver = _startedDriver ?? throw new InvalidOperationException("The daemon was never started.");
        await StopDaemonAsync();
        if (!await TryStartAsync(ExternalTool.Dockerd(), driver))
        {
            throw new InvalidOperationException($"dockerd did not come back after a restart ({_attempts[^1]}).{Environment.NewLine}--- dockerd log ---{Environment.NewLine}{_log.Tail()}");
        }
    }

    /// <summary>Runs the docker CLI against this daemon; throws with stdout/stderr on a non-zero exit.</summary>
    public Task<ProcessResult> RunDockerAsync(params string[] args) => RunDockerAsync(ProcessRunner.DefaultTimeout, args);

    public async Task<ProcessResult> RunDockerAsync(TimeSpan timeout, params string[] args)
    {
        try
        {
            return await ProcessRunner.RunAsync(_dockerCli, args, _cliEnvironment, timeout);
        }
        catch (ProcessFailedException ex)
        {
            throw new ProcessFailedException(
                $"{ex.Message}{Environment.NewLine}--- dockerd log (tail) ---{Environment.NewLine}{_log.Tail(8 * 1024)}", ex.Result, ex);
        }
    }

    /// <summary>Runs the docker CLI and returns its result whatever the exit code.</summary>
    public Task<ProcessResult> RunDockerUncheckedAsync(params string[] args) =>
        ProcessRunner.RunUncheckedAsync(_dockerCli, args, _cliEnvironment, ProcessRunner.DefaultTimeout);

    private async Task<bool> TryStartAsync(string dockerd, string storageDriver)
    {
        var root = _root!;
        var attempt = Directory.CreateDirectory(root.Combine(storageDriver)).FullName;
        var daemonJson = Path.Combine(attempt, "daemon.json");
        File.WriteAllText(daemonJson, "{}");

        var startInfo = new ProcessStartInfo(dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--config-file", daemonJson,
            "--data-root", Path.Combine(attempt, "data"),
            "--exec-root", Path.Combine(attempt, "exec"),
            "--host", DockerHost,
            "--pidfile", Path.Combine(attempt, "dockerd.pid"),
            "--storage-driver", storageDriver,
            "--bridge=none",
            "--iptables=false",
            "--ip6tables=false",
            "--ip-masq=false",
            "--ipv6=false",
            "--userland-proxy=false",
            "--log-level", "info",
        ];
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // dockerd finds containerd and runc on PATH.
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        startInfo.Environment["PATH"] = string.Join(':', new[] { path, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Where(p => p.Length > 0));
        startInfo.Environment.Remove("DOCKER_HOST");

        var process = new Process { StartInfo = startInfo };
        var tag = $"[dockerd {storageDriver}] ";
        process.OutputDataReceived += (_, e) => _log.AppendLine(tag, e.Data);
        process.ErrorDataReceived += (_, e) => _log.AppendLine(tag, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _dockerd = process;

        var deadline = DateTime.UtcNow + ReadyTimeout;
        string lastError = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                _attempts.Add($"{storageDriver}: dockerd exited with {process.ExitCode}");
                await UnmountUnderAsync(attempt);
                process.Dispose();
                _dockerd = null;
                return false;
            }

            if (File.Exists(root.Combine("docker.sock")))
            {
                var info = await ProcessRunner.RunUncheckedAsync(_dockerCli, ["info", "--format", "{{.ServerVersion}}"], _cliEnvironment, TimeSpan.FromSeconds(10));
                if (info.ExitCode == 0)
                {
                    return true;
                }

                lastError = info.StandardError.Trim();
            }

            await Task.Delay(200);
        }

        _attempts.Add($"{storageDriver}: `docker info` did not answer within {ReadyTimeout.TotalSeconds:0} s (last error: {lastError})");
        await StopDaemonAsync();
        await UnmountUnderAsync(attempt);
        return false;
    }

    private async Task StopDaemonAsync()
    {
        var process = _dockerd;
        if (process is null)
        {
            return;
        }

        _dockerd = null;
        // dockerd stops its managed containerd on SIGTERM; if we have to SIGKILL it, take its children (which we started) with it.
        var children = process.HasExited ? [] : UnixProcess.ChildrenOf(process.Id);
        await UnixProcess.TerminateAsync(process, TimeSpan.FromSeconds(20));
        foreach (var child in children)
        {
            await UnixProcess.SignalAsync(child, UnixProcess.SigKill);
        }

        process.Dispose();
    }

    /// <summary>Lazily unmounts anything (overlay mounts, netns, shm) left mounted under <paramref name="directory"/>.</summary>
    private static async Task UnmountUnderAsync(string directory)
    {
        if (!File.Exists("/proc/self/mountinfo"))
        {
            return;
        }

        var prefix = directory.TrimEnd('/') + "/";
        var mountPoints = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => UnescapeMountPath(fields[4]))
            .Where(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();
        foreach (var mountPoint in mountPoints)
        {
            await ProcessRunner.RunUncheckedAsync("umount", ["-l", mountPoint], timeout: TimeSpan.FromSeconds(20));
        }
    }

    private static string UnescapeMountPath(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal)
             .Replace("\\011", "\t", StringComparison.Ordinal)
             .Replace("\\012", "\n", StringComparison.Ordinal)
             .Replace("\\134", "\\", StringComparison.Ordinal);

    /// <summary>The PID recorded in dockerd's pidfile, for diagnostics.</summary>
    public int? PidFromPidFile()
    {
        if (_root is null || string.IsNullOrEmpty(StorageDriver))
        {
            return null;
        }

        var file = _root.Combine(StorageDriver, "dockerd.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
