using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// The data directory is checked before anything opens it (the real binary, as a process): verbs that only read never
/// create it, a directory <c>serve</c> cannot write (a read-only mount, a parent the account cannot write) ends the start
/// with one sentence and exit 2, and root never works on a directory another account owns.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryCheckTests : IDisposable
{
    private const int Nobody = 65534;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly Dictionary<string, string?> NoSettings = [];
    private readonly TempDirectory _root = new("datadir");

    public static TheoryData<string> ReadOnlyVerbs =>
    [
        "audit verify",
        "audit export --format jsonl",
        "fsck",
        "migrate --list",
        "upgrade --check",
        "gc --dry-run",
        "retention run --dry-run",
    ];

    public void Dispose() => _root.Dispose();

    [Theory]
    [MemberData(nameof(ReadOnlyVerbs))]
    public async Task ReadOnlyVerb_MissingDataDirectory_FailsAndCreatesNothing(string verb)
    {
        var typo = _root.Combine("typo");

        var result = await DockyardProcess.RunVerbAsync([.. verb.Split(' '), "--data", typo], NoSettings);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains($"no Dockyard data directory at {typo}", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" OK", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("clean", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(typo), $"{verb} created {typo}");
    }

    [Fact]
    public async Task ReadOnlyVerb_DataDirectoryWithoutDatabase_FailsAndCreatesNoDatabase()
    {
        var data = Directory.CreateDirectory(_root.Combine("empty")).FullName;

        var result = await DockyardProcess.RunVerbAsync(["audit", "verify", "--data", data], NoSettings);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains($"no Dockyard database at {Path.Combine(data, "dockyard.db")}", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(data));
    }

    [Fact]
    public async Task Serve_ReadOnlyDataDirectory_RefusesWithOneSentenceAndExit2()
    {
        var data = await CreateDataDirectoryAsync("ro");
        // Root writes through any mode bits, so the directory is made read-only the way a mount is: a read-only bind.
        await ProcessRunner.RunAsync("mount", ["--bind", data, data]);
        try
        {
            await ProcessRunner.RunAsync("mount", ["-o", "remount,bind,ro", data]);

            var result = await DockyardProcess.RunVerbAsync(["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data", data], NoSettings, StartTimeout);

            Assert.True(result.ExitCode == 2, result.Describe());
            var line = Assert.Single(Lines(result.StandardError));
            Assert.StartsWith($"dockyard: cannot write to the data directory {data} (owned by root:root, mode 0700) as user root: ", line, StringComparison.Ordinal);
            Assert.Contains("read-only file system", line, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await ProcessRunner.RunUncheckedAsync("umount", [data]);
        }
    }

    [Fact]
    public async Task Serve_AsNonRootUnderAParentItCannotWrite_RefusesNamingTheUser()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs serve as uid 65534 through setpriv, so it must run as root");
        var parent = Directory.CreateDirectory(_root.Combine("srv")).FullName;
        File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(_root.Path, (UnixFileMode)0b111_001_001);
        var home = await NobodysHomeAsync();
        var data = Path.Combine(parent, "dockyard");

        var result = await DockyardProcess.RunVerbAsUserAsync(Nobody, Nobody, home, ["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data", data], StartTimeout);

        Assert.True(result.ExitCode == 2, result.Describe());
        var line = Assert.Single(Lines(result.StandardError));
        Assert.StartsWith($"dockyard: cannot create the data directory {data}: {parent} (owned by root:root, mode 0755) is not writable by user nobody", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Serve_AsTheOwner_WithADatabaseRootLeftBehind_RefusesNamingTheFileAndTheFix()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs serve as uid 65534 through setpriv, so it must run as root");
        var data = await CreateDataDirectoryAsync("misowned");
        File.SetUnixFileMode(_root.Path, (UnixFileMode)0b111_001_001);
        var home = await NobodysHomeAsync();
        // The directory is given to the service account, the database in it stays root's (a verb once run as root).
        await ProcessRunner.RunAsync("chown", [$"{Nobody}:{Nobody}", data]);

        var result = await DockyardProcess.RunVerbAsUserAsync(Nobody, Nobody, home, ["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data", data], StartTimeout);

        Assert.True(result.ExitCode == 2, result.Describe());
        var line = Assert.Single(Lines(result.StandardError));
        Assert.StartsWith($"dockyard: cannot write to {data}{Path.DirectorySeparatorChar}", line, StringComparison.Ordinal);
        Assert.Contains(" (owned by root:root, mode 0600) in the data directory as user nobody; ", line, StringComparison.Ordinal);
        Assert.EndsWith($"chown -R nobody: {data}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit verify")]
    [InlineData("keys rotate")]
    [InlineData("serve")]
    public async Task Verb_AsRootOnADataDirectoryAnotherAccountOwns_RefusesNamingTheOwnerAndLeavesNoRootFiles(string verb)
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs the verb as root on a directory owned by uid 65534");
        var data = await CreateDataDirectoryAsync("owned");
        await ProcessRunner.RunAsync("chown", ["-R", $"{Nobody}:{Nobody}", data]);
        string[] arguments = verb == "serve"
            ? ["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data", data]
            : [.. verb.Split(' '), "--data", data];

        var result = await DockyardProcess.RunVerbAsync(arguments, NoSettings, StartTimeout);

        Assert.True(result.ExitCode == 2, result.Describe());
        var line = Assert.Single(Lines(result.StandardError));
        Assert.StartsWith($"dockyard: the data directory {data} belongs to nobody (uid {Nobody}), not root:", line, StringComparison.Ordinal);
        Assert.Contains($"sudo -u nobody dockyard {verb}", line, StringComparison.Ordinal);
        Assert.Contains("runuser -u nobody -- dockyard", line, StringComparison.Ordinal);
        var notTheOwners = await ProcessRunner.RunAsync("find", [data, "!", "-uid", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(string.Empty, notTheOwners.StandardOutput.Trim());
    }

    /// <summary>A data directory with a database, as <c>dockyard migrate</c> (run as root) leaves it.</summary>
    private async Task<string> CreateDataDirectoryAsync(string name)
    {
        var data = _root.Combine(name);
        var migrated = await DockyardProcess.RunVerbAsync(["migrate", "--data", data], NoSettings);
        Assert.True(migrated.ExitCode == 0, migrated.Describe());
        return data;
    }

    private async Task<string> NobodysHomeAsync()
    {
        var home = Directory.CreateDirectory(_root.Combine("home")).FullName;
        await ProcessRunner.RunAsync("chown", [$"{Nobody}:{Nobody}", home]);
        return home;
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
