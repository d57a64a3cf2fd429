using System.Globalization;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Audit;

/// <summary>The JSON Lines sink under log rotation, and where a newly configured sink starts.</summary>
public sealed class AuditFileSinkTests
{
    [Fact]
    public async Task File_RotatedByRename_ReopensThePath()
    {
        using var directory = new TempDirectory("dockyard-audit-");
        var path = Path.Combine(directory.Path, "audit.jsonl");
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:Audit:File:Path"] = path });
        var trail = server.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/1" }, CancellationToken.None);
        await WaitForIdsAsync(path, 2);

        File.Move(path, path + ".1");
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/2" }, CancellationToken.None);

        Assert.Equal([3L], await WaitForIdsAsync(path, 1));
        Assert.Equal([1L, 2L], Ids(path + ".1"));
    }

    [Fact]
    public async Task File_CopyTruncate_NoNulBytesAndNothingLost()
    {
        using var directory = new TempDirectory("dockyard-audit-");
        var path = Path.Combine(directory.Path, "audit.jsonl");
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:Audit:File:Path"] = path });
        var trail = server.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/1" }, CancellationToken.None);
        await WaitForIdsAsync(path, 2);

        // logrotate copytruncate: copy the file, then truncate it in place while the writer keeps it open.
        File.Copy(path, path + ".1");
        await using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            truncate.SetLength(0);
        }

        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/2" }, CancellationToken.None);
        await trail.RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/3" }, CancellationToken.None);

        await WaitForIdsAsync(path, 2);
        Assert.DoesNotContain((byte)0, await File.ReadAllBytesAsync(path));
        Assert.Equal([1L, 2L, 3L, 4L], Ids(path + ".1").Concat(Ids(path)));

        using var client = server.CreateClient();
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("dockyard_audit_sink_backlog{sink=\"file\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("dockyard_audit_sink_entries_delivered_total{sink=\"file\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("dockyard_audit_sink_entries_dropped_total{sink=\"file\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sinks_FirstConfigured_StartNowOrFromTheBeginning()
    {
        using var directory = new TempDirectory("dockyard-audit-");
        var data = Path.Combine(directory.Path, "data");
        var path = Path.Combine(directory.Path, "audit.jsonl");
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: data))
        {
            await server.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/old" }, CancellationToken.None);
        }

        // A file sink configured later starts after the existing trail (id 2): only what follows is delivered.
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: data, settings: new Dictionary<string, string?> { ["Dockyard:Audit:File:Path"] = path }))
        {
            await server.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent { Action = AuditActions.KeyRotate, Resource = "keys/new" }, CancellationToken.None);
            Assert.Equal([3L], await WaitForIdsAsync(path, 1));
        }

        // SinkStart=Beginning: a syslog sink configured now receives the whole trail.
        await using var receiver = SyslogTestReceiver.Start();
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: data, settings: new Dictionary<string, string?>
        {
            ["Dockyard:Audit:SinkStart"] = "Beginning",
            ["Dockyard:Audit:Syslog:Host"] = "127.0.0.1",
            ["Dockyard:Audit:Syslog:Port"] = receiver.Port.ToString(CultureInfo.InvariantCulture),
        }))
        {
            var messages = await receiver.WaitForAsync("keys/new");
            Assert.Equal(3, messages.Count);
            Assert.Contains("keys/old", messages[1], StringComparison.Ordinal);
        }
    }

    private static async Task<List<long>> WaitForIdsAsync(string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<long> ids;
        while ((ids = Ids(path)).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} has {ids.Count} of {count} entries");
            await Task.Delay(50);
        }

        await Task.Delay(200);
        return Ids(path);
    }

    private static List<long> Ids(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim('\0'))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<AuditEntryResponse>(l, AuditEntryResponse.JsonOptions)!.Id)];
    }
}
