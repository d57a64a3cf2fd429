using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Audit;

/// <summary>SIEM sinks: RFC 5424 over TCP with octet counting, and a JSON Lines file.</summary>
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
