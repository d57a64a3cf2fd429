using System.Net;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Tests.Observability;

/// <summary>
/// <c>/readyz</c> under the conditions where writes fail for real: a full data volume (a small tmpfs filled up), a
/// data volume remounted read-only, and a database file the server's account cannot write. Each is ready first,
/// then answers 503 naming the failed check and why — never a stack trace. <c>/healthz</c> (liveness) stays 200.
/// </summary>
public sealed class ReadinessTests
{
    private const int Nobody = 65534;

    [Fact]
    public async Task Readyz_DataVolumeFull_503WithDiskAndWriteProbeReasons()
    {
        using var root = new TempDirectory("readyz-full");
        var data = Directory.CreateDirectory(root.Combine("data")).FullName;
        await MountTmpfsAsync(data, "size=64m");
        try
        {
            await using (var server = await InProcessDockyard.StartAsync(
                dataDirectory: data,
                settings: new Dictionary<string, string?> { ["Dockyard:Health:MinFreeBytes"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            {
                using var http = server.CreateClient();
                await AssertReadyAsync(http);

                await FillAsync(Path.Combine(data, "filler"));

                var (body, checks) = await WaitUnreadyAsync(http);
                Assert.False(checks["disk"].Ok, body);
                Assert.Contains($"free on {data}, below 8 MiB", checks["disk"].Reason, StringComparison.Ordinal);
                Assert.False(checks["data-directory"].Ok, body);
                Assert.Contains("No space left on device", checks["data-directory"].Reason, StringComparison.Ordinal);
                Assert.True(checks["database"].Ok, body);
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(data, ".readyz")), "the write probe left its file behind");
                using var live = await http.GetAsync("/healthz");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);

                File.Delete(Path.Combine(data, "filler"));
                await WaitReadyAsync(http);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await UnmountAsync(data);
        }
    }

    [Fact]
    public async Task Readyz_DataVolumeRemountedReadOnly_503NamingTheDataDirectory()
    {
        using var root = new TempDirectory("readyz-ro");
        var data = Directory.CreateDirectory(root.Combine("data")).FullName;
        var database = Directory.CreateDirectory(root.Combine("db")).FullName;
        await MountTmpfsAsync(data, "size=64m");
        try
        {
            // The database lives off the volume: the kernel refuses to remount a file system read-only while a file on
            // it is open for writing, which SQLite's always is. Storage and the probe close their files.
            await using (var server = await InProcessDockyard.StartAsync(
                dataDirectory: data,
                settings: new Dictionary<string, string?>
                {
                    ["Dockyard:Database:ConnectionString"] = $"Data Source={Path.Combine(database, "dockyard.db")}",
                    ["Dockyard:Health:MinFreeBytes"] = "1048576",
                }))
            {
                using var http = server.CreateClient();
                await AssertReadyAsync(http);

                await ProcessRunner.RunAsync("mount", ["-o", "remount,ro", data]);

                var (body, checks) = await WaitUnreadyAsync(http);
                Assert.False(checks["data-directory"].Ok, body);
                Assert.Contains(data, checks["data-directory"].Reason, StringComparison.Ordinal);
                Assert.Contains("Read-only file system", checks["data-directory"].Reason, StringComparison.Ordinal);
                Assert.True(checks["database"].Ok, body);
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);

                await ProcessRunner.RunAsync("mount", ["-o", "remount,rw", data]);
                await WaitReadyAsync(http);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await UnmountAsync(data);
        }
    }

    [Fact]
    public async Task Readyz_DatabaseFileOwnedByRoot_503NamingTheDatabase()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs the server as uid 65534 through setpriv, so it must run as root");
        await using var server = await DockyardProcess.StartAsUserAsync(Nobody, Nobody);
        using var http = server.CreateClient(TimeSpan.FromSeconds(30));
        await AssertReadyAsync(http);

        // What a `dockyard` verb run as root leaves behind (issue #20), here while the server runs: its account can
        // read the database but not write it, so every login (its audit entry) fails. (A start on such a directory is
        // refused outright: Cli/DataDirectoryCheckTests.)
        var file = Path.Combine(server.DataDirectory, "dockyard.db");
        await ProcessRunner.RunAsync("chown", ["0:0", file]);
        await ProcessRunner.RunAsync("chmod", ["0644", file]);

        var (body, checks) = await WaitUnreadyAsync(http);
        Assert.False(checks["database"].Ok, body);
        Assert.Contains("readonly database", checks["database"].Reason, StringComparison.Ordinal);
        Assert.True(checks["data-directory"].Ok, body);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private static async Task AssertReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
    }

    /// <summary>Polls past the probe's one-second cache until /readyz answers 503; its body and checks by name.</summary>
    private static async Task<(string Body, Dictionary<string, (bool Ok, string Reason)> Checks)> WaitUnreadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await http.GetAsync("/readyz");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                var json = JsonDocument.Parse(body).RootElement;
                Assert.Equal("unready", json.GetProperty("status").GetString());
                var checks = json.GetProperty("checks").EnumerateArray().ToDictionary(
                    c => c.GetProperty("name").GetString()!,
                    c => (c.GetProperty("ok").GetBoolean(), c.GetProperty("reason").GetString() ?? string.Empty));
                return (body, checks);
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz still answers {(int)response.StatusCode}: {body}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await http.GetAsync("/readyz");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz still answers {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Writes zeros until the file system refuses (ENOSPC).</summary>
    private static async Task FillAsync(string path)
    {
        var chunk = new byte[1024 * 1024];
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // full
        }

        // Whatever a smaller write can still take.
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk.AsMemory(0, 4096));
            }
        }
        catch (IOException)
        {
            // full to the last page
        }
    }

    private static Task MountTmpfsAsync(string directory, string options) =>
        ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", directory]);

    private static async Task UnmountAsync(string directory)
    {
        if ((await ProcessRunner.RunUncheckedAsync("umount", [directory], null, TimeSpan.FromSeconds(30), null)).ExitCode != 0)
        {
            // Something still holds a file there; detach it so the temp directory can go.
            await ProcessRunner.RunUncheckedAsync("umount", ["-l", directory], null, TimeSpan.FromSeconds(30), null);
        }
    }
}
