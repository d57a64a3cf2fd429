using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// A private notary-server (Debian package <c>notary</c>) for the Docker Content Trust tests: memory storage, the local
/// signer, TLS from a test CA made here, on its own loopback port, and Dockyard as its token issuer (<c>auth.type
/// token</c> with the realm, service, issuer and the Dockyard token CA as <c>rootcertbundle</c>). Stopped by PID.
/// </summary>
public sealed class NotaryServer : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly OutputBuffer _log = new();
    private Process? _process;

    private NotaryServer(TempDirectory root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>https://127.0.0.1:PORT, what DOCKER_CONTENT_TRUST_SERVER says.</summary>
    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>"127.0.0.1:PORT", the directory name under DOCKER_CONFIG/tls/ the docker CLI reads the CA from.</summary>
    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>PEM file of the CA the server's TLS certificate chains to.</summary>
    public string CaFile => _root.Combine("tls-ca.crt");

    public string Log => _log.Tail();

    /// <summary>Starts notary-server trusting tokens from <paramref name="tokenRealm"/> signed under <paramref name="tokenCaPem"/>.</summary>
    public static async Task<NotaryServer> StartAsync(string tokenRealm, string service, string issuer, string tokenCaPem)
    {
        var binary = ExternalTool.Require("notary-server", "notary", "/usr/bin/notary-server");
        var server = new NotaryServer(new TempDirectory("notary"), LoopbackPorts.Free());
        try
        {
            server.WriteTls();
            File.WriteAllText(server._root.Combine("token-ca.pem"), tokenCaPem);
            var config = new
            {
                server = new { http_addr = server.Authority, tls_cert_file = server._root.Combine("tls.crt"), tls_key_file = server._root.Combine("tls.key") },
                trust_service = new { type = "local", hostname = string.Empty, port = string.Empty, key_algorithm = "ecdsa" },
                logging = new { level = "info" },
                storage = new { backend = "memory" },
                auth = new
                {
                    type = "token",
                    options = new { realm = tokenRealm, service, issuer, rootcertbundle = server._root.Combine("token-ca.pem") },
                },
            };
            var configFile = server._root.Combine("server.json");
            File.WriteAllText(configFile, JsonSerializer.Serialize(config));
            var startInfo = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-config", configFile, "-logf", "logfmt" })
            {
                startInfo.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => server._log.AppendLine("[notary] ", e.Data);
            process.ErrorDataReceived += (_, e) => server._log.AppendLine("[notary] ", e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            server._process = process;
            await server.WaitListeningAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await UnixProcess.TerminateAsync(process, TimeSpan.FromSeconds(10));
            process.Dispose();
        }

        _root.Dispose();
    }

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"notary-server exited with {_process.ExitCode}:{Environment.NewLine}{_log.Tail()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"notary-server did not listen on {Authority} within 30 s:{Environment.NewLine}{_log.Tail()}");
    }

    /// <summary>A test CA and a server certificate for 127.0.0.1 it issued.</summary>
    private void WriteTls()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Dockyard test notary CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(ca, now.AddMinutes(-30), now.AddDays(1), [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(_root.Combine("tls.crt"), leaf.ExportCertificatePem());
        File.WriteAllText(_root.Combine("tls.key"), key.ExportPkcs8PrivateKeyPem());
    }
}
