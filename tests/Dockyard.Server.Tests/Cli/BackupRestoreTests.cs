using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// The disaster drill of docs/operations.md with the real binary: pushes run while <c>dockyard backup</c> (a separate
/// process) backs the server up, twice (the second run copies only what is new); then the data directory is lost,
/// <c>dockyard restore</c> fills a fresh one, and a server on it serves every image the backup included byte for byte,
/// with fsck and audit verify clean, the user's password and access token working, and new audit ids beyond every id
/// the lost installation issued (a SIEM's ids never collide).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "keeper";
    private const string Password = "keeper-secret-1";
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _work = new("backup-e2e");
    private DockyardProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "true" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Backup_during_pushes_then_restore_serves_everything_with_a_new_audit_id_range()
    {
        try
        {
            await RunDrillAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{_server.Output}", ex);
        }
    }

    private async Task RunDrillAsync()
    {
        var seed = IdentitySeed.ForDatabaseFile(Path.Combine(_server.DataDirectory, "dockyard.db"));
        var userId = await seed.UserAsync(User, Password);
        var (_, tokenSecret) = await seed.Tokens.CreateForUserAsync(userId, "ci", [new TokenScope($"{User}/**", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None);

        using var http = _server.CreateClient();
        var registry = new RegistryTestClient(http);
        await AuthorizeAsync(http, User, Password);
        var pushed = new List<(string Repository, string Tag, string Json, string Digest)>();
        for (var i = 0; i < 6; i++)
        {
            // Layers of 256 KiB, so the backup has bytes to copy while the pushes go on.
            var (json, digest) = await registry.PushImageAsync($"{User}/app", $"v{i}", layerText: RandomText(256 * 1024));
            pushed.Add(($"{User}/app", $"v{i}", json, digest));
        }

        var destination = _work.Combine("backup");
        var first = await BackupWhilePushingAsync(destination, pushed, "a");
        var second = await BackupWhilePushingAsync(destination, pushed, "b");

        // Incremental: the second run copied the blobs pushed since the first, not the ones already in the backup.
        Assert.True(second.Copied < second.Blobs, $"second backup copied {second.Copied} of {second.Blobs} blobs");
        Assert.True(second.Blobs > first.Blobs, $"the second backup lists {second.Blobs} blobs, the first {first.Blobs}");
        var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(destination, "backup.json"))).RootElement;
        var backupLastId = manifest.GetProperty("counts").GetProperty("lastAuditId").GetInt64();
        Assert.Equal("Sqlite", manifest.GetProperty("databaseProvider").GetString());
        Assert.True(File.Exists(Path.Combine(destination, "keys", "secrets.key")), "the secrets key is in the backup");
        AssertPrivate(destination);

        // What the SIEM received from the lost installation: every id it issued, the backup's and later ones.
        var siemIds = await AuditIdsAsync();
        var siemHighest = siemIds.Max();
        Assert.True(siemHighest > backupLastId, $"entries after the backup ({siemHighest} > {backupLastId}) are what a restore loses");
        output.WriteLine($"backup ends at audit id {backupLastId}; the SIEM has ids up to {siemHighest}");

        // Disaster: the server is gone with its data directory.
        await _server.StopAsync(TimeSpan.FromSeconds(30));
        foreach (var entry in Directory.EnumerateFileSystemEntries(_server.DataDirectory))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        var refused = await DockyardProcess.RunVerbAsync(["restore", destination, "--data", _work.Combine("backup")], new Dictionary<string, string?>(), VerbTimeout);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not empty", refused.StandardError, StringComparison.Ordinal);

        var restore = await DockyardProcess.RunVerbAsync(["restore", destination, "--data", _server.DataDirectory], new Dictionary<string, string?>(), VerbTimeout);
        output.WriteLine(restore.Describe());
        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.Contains("restore: fsck: clean", restore.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("restore: audit verify: audit trail OK", restore.StandardOutput, StringComparison.Ordinal);

        await _server.RestartAsync();
        using var restored = _server.CreateClient();

        // The access token created before the backup still works (as the password of the token endpoint) …
        await AuthorizeAsync(restored, User, tokenSecret);
        foreach (var (repository, tag, json, digest) in pushed)
        {
            await AssertPullAsync(restored, repository, tag, json, digest);
        }

        // … and so does the password; a push after the restore is audited in the new id range.
        await AuthorizeAsync(restored, User, Password);
        await new RegistryTestClient(restored).PushImageAsync($"{User}/app", "after-restore");

        var ids = await AuditIdsAsync();
        var newIds = ids.Where(id => id > backupLastId).ToList();
        Assert.NotEmpty(newIds);
        var reused = newIds.Where(siemIds.Contains).ToList();
        Assert.True(reused.Count == 0, $"ids issued again after the restore, which the SIEM already has: {string.Join(", ", reused.Take(10))}");
        Assert.True(newIds.Min() >= 1L << 32, $"the first id after the restore is {newIds.Min()}, expected the next multiple of 2^32");

        var fsck = await DockyardProcess.RunVerbAsync(["fsck", "--data", _server.DataDirectory], new Dictionary<string, string?>(), VerbTimeout);
        Assert.True(fsck.ExitCode == 0, fsck.Describe());
        var verify = await DockyardProcess.RunVerbAsync(["audit", "verify", "--data", _server.DataDirectory], new Dictionary<string, string?>(), VerbTimeout);
        Assert.True(verify.ExitCode == 0, verify.Describe());
    }

    /// <summary>
    /// Runs <c>dockyard backup</c> while another task keeps pushing images; the images whose push finished before the
    /// backup started are added to <paramref name="pushed"/> (the backup must contain them).
    /// </summary>
    private async Task<(long Blobs, long Copied)> BackupWhilePushingAsync(string destination, List<(string Repository, string Tag, string Json, string Digest)> pushed, string round)
    {
        using var http = _server.CreateClient();
        await AuthorizeAsync(http, User, Password);
        var registry = new RegistryTestClient(http);
        using var stop = new CancellationTokenSource();
        var completed = new List<(DateTimeOffset At, (string, string, string, string) Image)>();
        var pushing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var tag = $"{round}{i}";
                var (json, digest) = await registry.PushImageAsync($"{User}/live", tag, layerText: RandomText(64 * 1024));
                lock (completed)
                {
                    completed.Add((DateTimeOffset.UtcNow, ($"{User}/live", tag, json, digest)));
                }
            }
        });

        await Task.Delay(500);
        var started = DateTimeOffset.UtcNow;
        var backup = await DockyardProcess.RunVerbAsync(["backup", destination, "--data", _server.DataDirectory], new Dictionary<string, string?>(), VerbTimeout);
        var finished = DateTimeOffset.UtcNow;
        await stop.CancelAsync();
        await pushing;
        output.WriteLine(backup.Describe());
        Assert.True(backup.ExitCode == 0, backup.Describe());
        Assert.Contains("backup: complete", backup.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("backup: blobs ", backup.StandardError, StringComparison.Ordinal);

        lock (completed)
        {
            var during = completed.Count(c => c.At > started && c.At < finished);
            Assert.True(during > 0, "no push completed while the backup ran");
            output.WriteLine($"backup {round}: {during} pushes completed while it ran");
            pushed.AddRange(completed.Where(c => c.At < started).Select(c => c.Image));
        }

        var counts = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(destination, "backup.json"))).RootElement.GetProperty("counts");
        var copied = long.Parse(System.Text.RegularExpressions.Regex.Match(backup.StandardOutput, @"; (\d+) copied now").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (counts.GetProperty("blobs").GetInt64(), copied);
    }

    private static async Task AssertPullAsync(HttpClient http, string repository, string tag, string json, string digest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd(TestManifests.OciManifest);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{repository}:{tag} answered {(int)response.StatusCode}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetBytes(json), body);
        Assert.Equal(digest, RegistryTestClient.DigestOf(body));
        using var document = JsonDocument.Parse(body);
        var blobs = document.RootElement.GetProperty("layers").EnumerateArray().Append(document.RootElement.GetProperty("config"))
            .Select(d => d.GetProperty("digest").GetString()!);
        foreach (var blob in blobs)
        {
            var bytes = await http.GetByteArrayAsync($"/v2/{repository}/blobs/{blob}");
            Assert.Equal(blob, RegistryTestClient.DigestOf(bytes));
        }
    }

    /// <summary>A bearer token for the user's repositories (password or access token as the secret) as the client's default.</summary>
    private static async Task AuthorizeAsync(HttpClient http, string user, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=dockyard&scope=repository:{user}/app:pull,push&scope=repository:{user}/live:pull,push");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/auth/token for {user}: {(int)response.StatusCode} {body}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("token").GetString());
    }

    /// <summary>Every audit id in the server's database, through <c>dockyard audit export</c> (what a SIEM receives).</summary>
    private async Task<HashSet<long>> AuditIdsAsync()
    {
        var export = await DockyardProcess.RunVerbAsync(["audit", "export", "--format", "jsonl", "--data", _server.DataDirectory], new Dictionary<string, string?>(), VerbTimeout);
        Assert.True(export.ExitCode == 0, export.Describe());
        return [.. export.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt64())];
    }

    private static void AssertPrivate(string root)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            var mode = File.GetUnixFileMode(path);
            Assert.True((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0, $"{path} is {mode}");
        }
    }

    private static string RandomText(int size) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(size * 3 / 4));
}
