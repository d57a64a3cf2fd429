using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Audit;

/// <summary>SIEM sinks: RFC 5424 over TCP with octet counting, UDP and TLS, and a JSON Lines file (see also <see cref="AuditFileSinkTests"/>).</summary>
public sealed class AuditSinkTests
{
    [Fact]
    public async Task Syslog_CommittedEntry_ArrivesFramedAsRfc5424()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Audit:Syslog:Host"] = "127.0.0.1",
            ["Dockyard:Audit:Syslog:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await server.GetRequiredService<AuditTrail>().RecordAsync(
            new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/k1", Reason = "a \"quoted\" ] reason" },
            CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = client.GetStream();

        // The first start's own entry (the bootstrap administrator) comes first.
        Assert.Contains(" user.create ", await ReadFrameAsync(stream, timeout.Token), StringComparison.Ordinal);
        var message = await ReadFrameAsync(stream, timeout.Token);

        // <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] BOM MSG; facility 13 (log audit), severity 5 (notice).
        Assert.StartsWith("<109>1 ", message, StringComparison.Ordinal);
        var parts = message.Split(' ', 7);
        Assert.EndsWith("Z", parts[1], StringComparison.Ordinal);
        Assert.Equal("dockyard", parts[3]);
        Assert.Equal("keys.rotate", parts[5]);
        Assert.StartsWith("[dockyard@32473 id=\"2\" outcome=\"success\" actor=\"system\"", parts[6], StringComparison.Ordinal);
        var json = message[(message.IndexOf('\uFEFF', StringComparison.Ordinal) + 1)..];
        using var document = JsonDocument.Parse(json);
        Assert.Equal("keys/k1", document.RootElement.GetProperty("resource").GetString());
        Assert.Equal("a \"quoted\" ] reason", document.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Syslog_ReceiverDownAtFirst_ReconnectsAndDelivers()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Audit:Syslog:Host"] = "127.0.0.1",
            ["Dockyard:Audit:Syslog:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await server.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent { Action = AuditActions.LdapSync }, CancellationToken.None);
        await Task.Delay(300);

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        Assert.Contains(" user.create ", await ReadFrameAsync(client.GetStream(), timeout.Token), StringComparison.Ordinal);
        var message = await ReadFrameAsync(client.GetStream(), timeout.Token);
        Assert.Contains(" ldap.sync ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syslog_ReceiverRestarts_NoEntryLost()
    {
        await using var receiver = SyslogTestReceiver.Start();
        await using var server = await InProcessDockyard.StartAsync(settings: Syslog(receiver.Port, "tcp"));
        var trail = server.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/before" }, CancellationToken.None);
        await receiver.WaitForAsync("keys/before");

        // rsyslog restarts: our connection is closed, the port listens again.
        await receiver.StopAsync();
        receiver.Listen();
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/first-after" }, CancellationToken.None);
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/second-after" }, CancellationToken.None);

        var messages = await receiver.WaitForAsync("keys/second-after");
        Assert.Contains(messages, m => m.Contains("keys/first-after", StringComparison.Ordinal));
        Assert.Single(messages, m => m.Contains("keys/before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Syslog_Udp_OneTruncatedMessagePerDatagram()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        await using var server = await InProcessDockyard.StartAsync(settings: Syslog(port, "udp"));
        await server.GetRequiredService<AuditTrail>().RecordAsync(
            new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/k1", Reason = new string('é', 3000) },
            CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var first = await receiver.ReceiveAsync(timeout.Token);
        Assert.Contains(" user.create ", strict.GetString(first.Buffer), StringComparison.Ordinal);
        var second = await receiver.ReceiveAsync(timeout.Token);
        var message = strict.GetString(second.Buffer);
        Assert.StartsWith("<109>1 ", message, StringComparison.Ordinal);
        Assert.Contains(" keys.rotate ", message, StringComparison.Ordinal);
        Assert.InRange(second.Buffer.Length, 2000, 2048);
    }

    [Fact]
    public async Task Syslog_Tls_TrustsThePrivateCaAndChecksTheName()
    {
        using var directory = new TempDirectory("dockyard-siem-tls-");
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test SIEM CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var caFile = Path.Combine(directory.Path, "siem-ca.pem");
        await File.WriteAllTextAsync(caFile, ca.ExportCertificatePem());

        using var rightName = Issue(ca, "127.0.0.1");
        await using (var receiver = SyslogTestReceiver.Start(rightName))
        await using (var server = await InProcessDockyard.StartAsync(settings: Syslog(receiver.Port, "tls", caFile)))
        {
            await server.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/tls" }, CancellationToken.None);
            var messages = await receiver.WaitForAsync("keys/tls");
            Assert.Contains(" user.create ", messages[0], StringComparison.Ordinal);
        }

        // Issued by the trusted CA, but for another name: the sink refuses it (and retries), nothing is sent.
        using var wrongName = Issue(ca, "siem.example");
        await using (var receiver = SyslogTestReceiver.Start(wrongName))
        await using (var server = await InProcessDockyard.StartAsync(settings: Syslog(receiver.Port, "tls", caFile)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (receiver.Connections < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(receiver.Connections >= 2, $"{receiver.Connections} connection(s): the refused handshake was not retried");
            Assert.Empty(receiver.Messages);
        }
    }

    private static Dictionary<string, string?> Syslog(int port, string protocol, string? caFile = null) => new()
    {
        ["Dockyard:Audit:Syslog:Host"] = "127.0.0.1",
        ["Dockyard:Audit:Syslog:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Dockyard:Audit:Syslog:Protocol"] = protocol,
        ["Dockyard:Audit:Syslog:CaFile"] = caFile,
    };

    /// <summary>A server certificate for <paramref name="name"/> (an IP address or a DNS name) issued by <paramref name="ca"/>.</summary>
    private static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var address))
        {
            san.AddIpAddress(address);
        }
        else
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip: SslStream on Linux wants a certificate whose key is not ephemeral.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task File_CommittedEntries_AppendedAsJsonLines()
    {
        using var directory = new TempDirectory("dockyard-audit-");
        var path = Path.Combine(directory.Path, "siem", "audit.jsonl");
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:Audit:File:Path"] = path });
        var trail = server.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.UserCreate, Resource = "users/a" }, CancellationToken.None);
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.UserDelete, Resource = "users/a" }, CancellationToken.None);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string[] lines = [];
        while (DateTime.UtcNow < deadline && (lines = ReadLines(path)).Length < 3)
        {
            await Task.Delay(50);
        }

        // The first start's own entry (the bootstrap administrator), then the two recorded here.
        Assert.Equal(3, lines.Length);
        var entries = lines.Select(l => JsonSerializer.Deserialize<AuditEntryResponse>(l, AuditEntryResponse.JsonOptions)!).ToList();
        Assert.Equal(["user.create", "user.create", "user.delete"], entries.Select(e => e.Action));
        Assert.Equal(["users/admin", "users/a", "users/a"], entries.Select(e => e.Resource));
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Equal(64, e.Hash.Length));
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>RFC 6587 octet counting: ASCII length, a space, that many bytes.</summary>
    private static async Task<string> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == ' ')
            {
                break;
            }

            Assert.InRange(one[0], (byte)'0', (byte)'9');
            length = (length * 10) + (one[0] - '0');
        }

        var frame = new byte[length];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return Encoding.UTF8.GetString(frame);
    }
}
