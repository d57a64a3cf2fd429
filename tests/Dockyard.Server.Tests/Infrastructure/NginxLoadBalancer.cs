using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// A private Debian nginx in front of several Dockyard replicas: round-robin upstream on loopback, its own prefix,
/// config, pid file, temp paths and logs in a temp directory, one process (<c>master_process off</c>, <c>daemon off</c>)
/// that is stopped by its PID. The config is the one docs/operations.md recommends for a registry: no body size limit,
/// no request or response buffering (blobs stream through), and a failed upstream is retried only where nginx may
/// (a connection that could not be made; non-idempotent requests that reached a replica are not re-sent).
/// </summary>
public sealed class NginxLoadBalancer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _root;
    private readonly OutputBuffer _output = new();
    private Process? _process;

    private NginxLoadBalancer(TempDirectory root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>"127.0.0.1:PORT", the registry host of image references (loopback: docker treats it as insecure).</summary>
    public string RegistryHost => $"127.0.0.1:{Port}";

    /// <summary>Path of the access log: one line per request, <c>METHOD URI STATUS UPSTREAM_ADDR UPSTREAM_STATUS</c>.</summary>
    public string AccessLogPath => _root.Combine("access.log");

    /// <summary>nginx's error log and console output, for failure messages.</summary>
    public string Diagnostics
    {
        get
        {
            var errorLog = _root.Combine("error.log");
            var tail = File.Exists(errorLog) ? File.ReadAllText(errorLog) : string.Empty;
            return (tail.Length > 8192 ? tail[^8192..] : tail) + _output.Tail(4096);
        }
    }

    /// <summary>
    /// Starts nginx on <paramref name="port"/> (a free loopback port when null: replicas that must know the public URL
    /// before the balancer starts pick it first) balancing over <paramref name="upstreamPorts"/>, and waits until it
    /// accepts connections.
    /// </summary>
    public static async Task<NginxLoadBalancer> StartAsync(IReadOnlyList<int> upstreamPorts, int? port = null)
    {
        var nginx = ExternalTool.Require("nginx", "nginx", "/usr/sbin/nginx");
        var balancer = new NginxLoadBalancer(new TempDirectory("nginx"), port ?? LoopbackPorts.Free());
        try
        {
            await balancer.StartProcessAsync(nginx, upstreamPorts);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The access log's lines parsed: (method, path, status, upstream addresses tried, upstream statuses).</summary>
    public IReadOnlyList<(string Method, string Path, int Status, string Upstreams, string UpstreamStatuses)> ReadAccessLog()
    {
        if (!File.Exists(AccessLogPath))
        {
            return [];
        }

        using var stream = new FileStream(AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<(string, string, int, string, string)>();
        while (reader.ReadLine() is { } line)
        {
            // "$request_method $uri $status $upstream_addr $upstream_status": multiple upstreams are ", "-separated.
            var parts = line.Split('\t');
            if (parts.Length == 5 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                entries.Add((parts[0], parts[1], status, parts[3], parts[4]));
            }
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        var process = _process;
        _process = null;
        if (process is not null)
        {
            // master_process off: the one process is nginx; SIGTERM is its fast shutdown.
            await UnixProcess.TerminateAsync(process, TimeSpan.FromSeconds(5));
            process.Dispose();
        }

        _root.Dispose();
    }

    private async Task StartProcessAsync(string nginx, IReadOnlyList<int> upstreamPorts)
    {
        var config = _root.Combine("nginx.conf");
        await File.WriteAllTextAsync(config, Config(upstreamPorts));
        var startInfo = new ProcessStartInfo(nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -e: the error log from the very start (before the config is read), instead of the system's /var/log/nginx.
        foreach (var arg in new[] { "-p", _root.Path + "/", "-c", config, "-e", _root.Combine("error.log") })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => _output.AppendLine("[nginx] ", e.Data);
        process.ErrorDataReceived += (_, e) => _output.AppendLine("[nginx] ", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"nginx exited with code {process.ExitCode} at start-up.{Environment.NewLine}{Diagnostics}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"nginx did not listen on {RegistryHost} within {ReadyTimeout.TotalSeconds:0} s.{Environment.NewLine}{Diagnostics}");
    }

    private string Config(IReadOnlyList<int> upstreamPorts) => Config(_root.Path, Port, upstreamPorts);

    /// <summary>
    /// The whole config: the upstream and server blocks are docs/operations.md's (NginxConfigDocumentedTests checks
    /// every directive of the documented block is here), with loopback addresses, no TLS, and a private prefix.
    /// </summary>
    internal static string Config(string prefix, int port, IReadOnlyList<int> upstreamPorts)
    {
        var servers = string.Concat(upstreamPorts.Select(p => $"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n"));
        return $$"""
            daemon off;
            master_process off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;

            events {
                worker_connections 1024;
            }

            http {
                log_format lb '$request_method\t$uri\t$status\t$upstream_addr\t$upstream_status';
                access_log {{prefix}}/access.log lb;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;

                upstream dockyard {
            {{servers}}        keepalive 32;
                }

                server {
                    listen 127.0.0.1:{{port}};

                    client_max_body_size 0;
                    large_client_header_buffers 4 32k;
                    proxy_request_buffering off;
                    proxy_buffering off;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;

                    proxy_connect_timeout 2s;
                    proxy_read_timeout 900s;
                    proxy_send_timeout 900s;
                    proxy_next_upstream error timeout;
                    proxy_next_upstream_tries 3;

                    location / {
                        proxy_pass http://dockyard;
                    }
                }
            }
            """;
    }
}
