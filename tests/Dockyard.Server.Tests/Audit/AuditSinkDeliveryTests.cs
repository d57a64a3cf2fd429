using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// SIEM delivery from the database, with the server as a real process: entries that CLI verbs commit reach the running
/// server's sink, a SIGHUP reopens the file instead of ending the server, and a restart resumes at the sink's cursor.
/// </summary>
public sealed class AuditSinkDeliveryTests
{
    [Fact]
    public async Task File_CliEntriesAndRestart_EveryEntryDeliveredExactlyOnce()
    {
        using var siem = new TempDirectory("dockyard-siem-");
        var path = Path.Combine(siem.Path, "audit.jsonl");
        await using var server = await DockyardProcess.StartAsync(new Dictionary<string, string>
        {
            ["DOCKYARD__AUDIT__FILE__PATH"] = path,
            ["DOCKYARD__AUDIT__SINKPOLLINTERVAL"] = "00:00:00.200",
        });
        // The verbs do not know the sink: the server delivers what they commit.
        var verb = new Dictionary<string, string?>();

        // The first start's administrator, then an entry committed by another process (a CLI verb on the same data).
        await WaitForLinesAsync(path, 1);
        var signOut = await DockyardProcess.RunVerbAsync(["user", "signout", "admin", "--data", server.DataDirectory], verb);
        Assert.True(signOut.ExitCode == 0, signOut.Describe());
        var lines = await WaitForLinesAsync(path, 2);
        Assert.Equal(AuditActions.UserSessionsEnd, lines[1].Action);

        // logrotate's postrotate `kill -HUP`: the server keeps running and keeps writing (to the reopened file).
        File.Move(path, path + ".1");
        Assert.True(await UnixProcess.SignalAsync(server.Pid, 1)); // SIGHUP
        Assert.True((await DockyardProcess.RunVerbAsync(["user", "signout", "admin", "--data", server.DataDirectory], verb)).ExitCode == 0);
        Assert.Single(await WaitForLinesAsync(path, 1));
        Assert.NotEqual(0, server.Pid);

        // Entries committed while the server is down arrive after it starts again, after those it had confirmed.
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.True((await DockyardProcess.RunVerbAsync(["user", "signout", "admin", "--data", server.DataDirectory], verb)).ExitCode == 0);
        Assert.True((await DockyardProcess.RunVerbAsync(["user", "signout", "admin", "--data", server.DataDirectory], verb)).ExitCode == 0);
        await server.RestartAsync();
        await WaitForLinesAsync(path, 3);
        await Task.Delay(1000);

        var all = ReadLines(path + ".1").Concat(ReadLines(path)).ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], all.Select(e => e.Id));
    }

    private static async Task<List<AuditEntryResponse>> WaitForLinesAsync(string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<AuditEntryResponse> lines;
        while ((lines = ReadLines(path)).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} has {lines.Count} of {count} lines");
            await Task.Delay(100);
        }

        return lines;
    }

    private static List<AuditEntryResponse> ReadLines(string path) =>
        File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AuditEntryResponse>(l, AuditEntryResponse.JsonOptions)!)]
            : [];
}
