using System.Diagnostics;
using System.Net;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// The Dockyard server as a real child process: <c>dotnet dockyard.dll serve --urls http://127.0.0.1:PORT --data DIR</c>,
/// with its own free port and temp data directory. Its output is kept for failure messages.
/// </summary>
public sealed class DockyardProcess : IAsyncDisposable
{
    // Generous: on a loaded 2-core machine a cold .NET start (JIT of the whole pipeline) has taken over 30 s.
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _root;
    private readonly OutputBuffer _output = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private int _generation;

    private readonly IReadOnlyDictionary<string, string> _environment;

    /// <summary>The account the server runs as (through setpriv), or null for the test's own.</summary>
    private (int Uid, int Gid)? _user;

    private DockyardProcess(TempDirectory root, int port, IReadOnlyDictionary<string, string> environment)
    {
        _root = root;
        _environment = environment;
        Port = port;
        DataDirectory = Directory.CreateDirectory(root.Combine("data")).FullName;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    /// <summary>"127.0.0.1:PORT", the registry host part of image references.</summary>
    public string RegistryHost => $"127.0.0.1:{Port}";

    /// <summary>The server's --data directory (kept across restarts).</summary>
    public string DataDirectory { get; }

    /// <summary>PID of the current server process, 0 when not running.</summary>
    public int Pid => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>The server's recent stdout/stderr (all generations), for diagnostics.</summary>
    public string Output => _output.Tail();

    /// <summary>Awaits a client command run against this server; if it fails, the failure also shows the server's output.</summary>
    public async Task<ProcessResult> WithOutputOnFailureAsync(Task<ProcessResult> command)
    {
        try
        {
            return await command;
        }
        catch (ProcessFailedException ex)
        {
            throw new ProcessFailedException(
                $"{ex.Message}{Environment.NewLine}--- dockyard output (tail) ---{Environment.NewLine}{Output}", ex.Result, ex);
        }
    }

    /// <summary>
    /// Starts a server on a free loopback port with a fresh data directory and waits for /healthz. Token
    /// authentication is off unless <paramref name="environment"/> turns it on (DOCKYARD__AUTH__ENABLED=true):
    /// registry-core tests exercise the protocol, the identity tests exercise authentication.
    /// <paramref name="prepareDataDirectory"/> runs on the (empty) data directory before the first start, e.g. to
    /// mount a small tmpfs there; whoever mounts unmounts after <see cref="KillAsync"/> and before disposing.
    /// </summary>
    public static Task<DockyardProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, Func<string, Task>? prepareDataDirectory = null) =>
        StartCoreAsync(environment, null, prepareDataDirectory);

    /// <summary>
    /// <see cref="StartAsync"/> as another account (<c>setpriv --reuid=UID --regid=GID --clear-groups</c>), the way a
    /// service runs under its system user: the server's temp root (data directory included) is chowned to it first.
    /// The test process must be root; the account must be able to reach the dotnet host and the test's output directory.
    /// </summary>
    public static Task<DockyardProcess> StartAsUserAsync(int uid, int gid, IReadOnlyDictionary<string, string>? environment = null) =>
        StartCoreAsync(environment, (uid, gid), null);

    private static async Task<DockyardProcess> StartCoreAsync(
        IReadOnlyDictionary<string, string>? environment, (int Uid, int Gid)? user, Func<string, Task>? prepareDataDirectory)
    {
        var settings = new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "false" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var server = new DockyardProcess(new TempDirectory("server"), LoopbackPorts.Free(), settings) { _user = user };
        try
        {
            if (prepareDataDirectory is not null)
            {
                await prepareDataDirectory(server.DataDirectory);
            }

            if (user is { } account)
            {
                await ProcessRunner.RunAsync("chown", ["-R", $"{account.Uid}:{account.Gid}", server._root.Path]);
            }

            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a CLI verb of the same binary (<c>dockyard ARGS</c>) to completion with <paramref name="environment"/> added.</summary>
    public static Task<ProcessResult> RunCliUncheckedAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var arguments = HostArguments().Concat(args).ToList();
        var variables = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        variables["DOTNET_NOLOGO"] = "1";
        return ProcessRunner.RunUncheckedAsync(DotnetHost(), arguments, variables, timeout, AppContext.BaseDirectory);
    }

    /// <summary>An HttpClient aimed at <see cref="BaseAddress"/>; the caller disposes it.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new() { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromMinutes(2) };

    /// <summary>kill -9 the server (it is a single process) and wait for it to be gone.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        finally
        {
            _output.AppendLine($"[test] ", $"dockyard #{_generation} killed");
            process.Dispose();
        }
    }

    /// <summary>
    /// SIGTERM (what systemd and `docker stop` send), waits up to <paramref name="grace"/> (then SIGKILL); returns the
    /// exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        var process = _process ?? throw new InvalidOperationException("the server is not running");
        _process = null;
        try
        {
            await UnixProcess.TerminateAsync(process, grace);
            _output.AppendLine("[test] ", $"dockyard #{_generation} stopped with {process.ExitCode}");
            return process.ExitCode;
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Kills the server if it runs, then starts it again on the same port with the same data directory.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _probe.Dispose();
        _root.Dispose();
    }

    private async Task StartProcessAsync()
    {
        // A port just released by a killed server can briefly refuse a new bind; retry that case only.
        var deadline = DateTime.UtcNow + HealthTimeout;
        while (true)
        {
            var outcome = await TryStartOnceAsync(deadline);
            if (outcome is null)
            {
                return;
            }

            if (!outcome.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"{outcome}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{_output.Tail()}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Returns null when healthy, else why not (the process is then gone).</summary>
    private async Task<string?> TryStartOnceAsync(DateTime deadline)
    {
        var startInfo = CreateStartInfo();
        var generation = ++_generation;
        var tag = $"[dockyard #{generation}] ";
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => _output.AppendLine(tag, e.Data);
        process.ErrorDataReceived += (_, e) => _output.AppendLine(tag, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            return $"Could not start `{ProcessRunner.FormatCommandLine(startInfo.FileName, startInfo.ArgumentList)}`: {ex.Message}";
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var healthz = new Uri(BaseAddress, "healthz");
        var lastProblem = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // drain output
                _process = null;
                var exitCode = process.ExitCode;
                process.Dispose();
                return $"dockyard exited with code {exitCode} before /healthz answered 200 " +
                       $"(`{ProcessRunner.FormatCommandLine(startInfo.FileName, startInfo.ArgumentList)}`)" +
                       (_output.Tail(4096).Contains("address already in use", StringComparison.OrdinalIgnoreCase) ? " (address already in use)" : string.Empty);
            }

            try
            {
                using var response = await _probe.GetAsync(healthz);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return null;
                }

                lastProblem = $"/healthz answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                lastProblem = ex.Message;
            }

            await Task.Delay(100);
        }

        await KillAsync();
        return $"dockyard did not answer 200 on {healthz} within {HealthTimeout.TotalSeconds:0} s (last: {lastProblem})";
    }

    /// <summary>
    /// Runs a CLI verb of the real binary (<c>dotnet dockyard.dll ARGS</c>) to completion with
    /// <paramref name="environment"/> added (e.g. <c>Dockyard__Database__ConnectionString</c>); returns its exit code and output.
    /// </summary>
    public static Task<ProcessResult> RunVerbAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dockyard.dll");
        var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "dockyard.runtimeconfig.json");
        var depsFile = Path.Combine(AppContext.BaseDirectory, "dockyard.deps.json");
        var env = new Dictionary<string, string?>(environment)
        {
            ["DOTNET_NOLOGO"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        return ProcessRunner.RunUncheckedAsync(
            DotnetHost(),
            ["exec", "--runtimeconfig", runtimeConfig, "--depsfile", depsFile, dll, .. arguments],
            env,
            timeout ?? TimeSpan.FromMinutes(2),
            AppContext.BaseDirectory);
    }

    /// <summary>
    /// Runs a CLI verb of the real binary as another account: <c>setpriv --reuid=UID --regid=GID --clear-groups dotnet
    /// dockyard.dll ARGS</c>, with <c>HOME</c> set to <paramref name="home"/>. The test process must be root; the
    /// account must be able to reach the dotnet host, the test's output directory and whatever the verb reads.
    /// </summary>
    public static Task<ProcessResult> RunVerbAsUserAsync(int uid, int gid, string home, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_HOME"] = home,
            ["HOME"] = home,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        return ProcessRunner.RunUncheckedAsync(
            "setpriv",
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", DotnetHost(), .. HostArguments(), .. arguments],
            env,
            timeout ?? TimeSpan.FromMinutes(2),
            AppContext.BaseDirectory);
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dockyard.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: the test project must reference src/Dockyard.Server (assembly name `dockyard`).");
        }

        var startInfo = new ProcessStartInfo(_user is null ? DotnetHost() : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };

        if (_user is { } user)
        {
            foreach (var arg in new[] { $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", DotnetHost() })
            {
                startInfo.ArgumentList.Add(arg);
            }

            startInfo.Environment["HOME"] = _root.Path;
            startInfo.Environment["DOTNET_CLI_HOME"] = _root.Path;
        }

        foreach (var arg in HostArguments().Concat(["serve", "--urls", $"http://127.0.0.1:{Port}", "--data", DataDirectory]))
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in _environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment.Remove("ASPNETCORE_URLS");
        startInfo.Environment.Remove("DOTNET_URLS");
        return startInfo;
    }

    /// <summary><c>exec [--runtimeconfig …] [--depsfile …] dockyard.dll</c>: what follows the dotnet host to run the server binary.</summary>
    internal static List<string> HostArguments()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dockyard.dll");
        // dockyard.runtimeconfig.json is copied next to dockyard.dll; `dotnet exec` needs it to pick the ASP.NET Core framework.
        var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "dockyard.runtimeconfig.json");
        var depsFile = Path.Combine(AppContext.BaseDirectory, "dockyard.deps.json");
        var arguments = new List<string> { "exec" };
        if (File.Exists(runtimeConfig))
        {
            arguments.AddRange(["--runtimeconfig", runtimeConfig]);
        }

        if (File.Exists(depsFile))
        {
            arguments.AddRange(["--depsfile", depsFile]);
        }

        arguments.Add(dll);
        return arguments;
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else `dotnet` on PATH.</summary>
    internal static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        return ExternalTool.Require("dotnet", "dotnet-sdk (see global.json)", "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet");
    }
}
