using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Install;

/// <summary>
/// <c>dockyard install</c> as a real process against a scratch <c>--root</c>: the files, modes and owners it writes,
/// and its unit checked by <c>systemd-analyze verify</c> (a clean verify prints nothing; any warning fails the test).
/// </summary>
public sealed class InstallCommandTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    [Fact]
    public async Task Install_WithSelfSignedTls_WritesAccountSettingsDataCertificateAndAUnitSystemdAccepts()
    {
        using var root = new TempDirectory("install-root");

        var result = await DockyardProcess.RunVerbAsync(
            ["install", "--root", root.Path, "--urls", "https://0.0.0.0:443", "--tls-self-signed", "registry.test"],
            new Dictionary<string, string?>());

        Assert.True(result.ExitCode == 0, result.Describe());
        var (uid, gid) = Account(root.Combine("etc", "passwd"), "dockyard");
        Assert.True(uid is > 0 and < 1000, $"uid {uid} is not a system account's");

        var config = root.Combine("etc", "dockyard", "dockyard.json");
        Assert.Equal(("0640", 0, gid), await StatAsync(config));
        using (var settings = JsonDocument.Parse(await File.ReadAllTextAsync(config)))
        {
            var dockyard = settings.RootElement.GetProperty("Dockyard");
            Assert.Equal("https://0.0.0.0:443", settings.RootElement.GetProperty("urls").GetString());
            Assert.Equal("/var/lib/dockyard", dockyard.GetProperty("DataDirectory").GetString());
            Assert.Equal("https://registry.test", dockyard.GetProperty("PublicUrl").GetString());
            Assert.Equal("/etc/dockyard/tls/certificate.pem", dockyard.GetProperty("Tls").GetProperty("CertificateFile").GetString());
            Assert.Equal("/etc/dockyard/tls/key.pem", dockyard.GetProperty("Tls").GetProperty("KeyFile").GetString());
        }

        Assert.Equal(("0700", uid, gid), await StatAsync(root.Combine("var", "lib", "dockyard")));
        Assert.Equal(("0600", uid, gid), await StatAsync(root.Combine("etc", "dockyard", "tls", "key.pem")));
        Assert.Equal(("0600", uid, gid), await StatAsync(root.Combine("etc", "dockyard", "tls", "certificate.pem")));
        using (var certificate = X509Certificate2.CreateFromPemFile(root.Combine("etc", "dockyard", "tls", "certificate.pem"), root.Combine("etc", "dockyard", "tls", "key.pem")))
        {
            Assert.Equal("CN=registry.test", certificate.Subject);
            Assert.True(certificate.HasPrivateKey);
        }

        var unitFile = root.Combine("etc", "systemd", "system", "dockyard.service");
        var unit = (await File.ReadAllLinesAsync(unitFile)).ToHashSet();
        Assert.Equal(("0644", 0, 0), await StatAsync(unitFile));
        Assert.Contains("Type=notify", unit);
        Assert.Contains("User=dockyard", unit);
        Assert.Contains("UMask=0077", unit);
        Assert.Contains("ProtectSystem=strict", unit);
        Assert.Contains("ReadWritePaths=/var/lib/dockyard", unit);
        Assert.Contains("NoNewPrivileges=yes", unit);
        Assert.Contains("MemoryDenyWriteExecute=no", unit);
        // Port 443: the one capability to bind it, nothing more.
        Assert.Contains("AmbientCapabilities=CAP_NET_BIND_SERVICE", unit);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE", unit);
        Assert.Contains(unit, line => line.StartsWith("ExecStart=", StringComparison.Ordinal) && line.EndsWith(" serve --config /etc/dockyard/dockyard.json", StringComparison.Ordinal));

        // The test runs through the dotnet host, so ExecStart is `<dotnet> <dockyard.dll> serve …`: an existing executable.
        var verify = await VerifyAsync(unitFile);
        Assert.True(verify.ExitCode == 0 && verify.StandardError.Length == 0 && verify.StandardOutput.Length == 0, verify.Describe());
        Assert.False(File.Exists("/etc/systemd/system/dockyard.service"), "the real /etc was written");
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_OnTheGeneratedUnitWithABrokenDirective_ReportsIt()
    {
        using var root = new TempDirectory("install-broken");
        var result = await DockyardProcess.RunVerbAsync(["install", "--root", root.Path], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, result.Describe());
        var unitFile = root.Combine("etc", "systemd", "system", "dockyard.service");
        Assert.Contains("CapabilityBoundingSet=", await File.ReadAllLinesAsync(unitFile));
        Assert.Equal(0, (await VerifyAsync(unitFile)).StandardError.Length);

        await File.WriteAllTextAsync(unitFile, (await File.ReadAllTextAsync(unitFile)).Replace("Type=notify", "Type=notfy", StringComparison.Ordinal));
        var broken = await VerifyAsync(unitFile);

        Assert.Contains("notfy", broken.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinstall_KeepsTheSettingsFile_Uninstall_RemovesUnitAndSettings_KeepsDataUnlessPurged()
    {
        using var root = new TempDirectory("install-uninstall");
        var install = await DockyardProcess.RunVerbAsync(["install", "--root", root.Path, "--data", "/srv/registry"], new Dictionary<string, string?>());
        Assert.True(install.ExitCode == 0, install.Describe());
        var config = root.Combine("etc", "dockyard", "dockyard.json");
        var settings = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(root.Combine("srv", "registry", "dockyard.db"), "data");

        // Again (an upgrade): the operator's settings stay, and the unit follows them, not the ignored flag.
        var again = await DockyardProcess.RunVerbAsync(["install", "--root", root.Path, "--data", "/srv/registry", "--urls", "http://0.0.0.0:80", "--public-url", "http://registry.test"], new Dictionary<string, string?>());
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("not applied", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(settings, await File.ReadAllTextAsync(config));
        Assert.Contains("CapabilityBoundingSet=", await File.ReadAllLinesAsync(root.Combine("etc", "systemd", "system", "dockyard.service")));
        Assert.True(File.Exists(root.Combine("srv", "registry", "dockyard.db")));

        var uninstall = await DockyardProcess.RunVerbAsync(["install", "--root", root.Path, "--data", "/srv/registry", "--uninstall"], new Dictionary<string, string?>());

        Assert.True(uninstall.ExitCode == 0, uninstall.Describe());
        Assert.False(File.Exists(root.Combine("etc", "systemd", "system", "dockyard.service")));
        Assert.False(Directory.Exists(root.Combine("etc", "dockyard")));
        Assert.True(File.Exists(root.Combine("srv", "registry", "dockyard.db")));

        var purge = await DockyardProcess.RunVerbAsync(["install", "--root", root.Path, "--data", "/srv/registry", "--uninstall", "--purge"], new Dictionary<string, string?>());

        Assert.True(purge.ExitCode == 0, purge.Describe());
        Assert.False(Directory.Exists(root.Combine("srv", "registry")));
    }

    private static Task<ProcessResult> VerifyAsync(string unitFile) =>
        ProcessRunner.RunUncheckedAsync(SystemdAnalyze, ["verify", unitFile], timeout: TimeSpan.FromMinutes(1));

    private static (int Uid, int Gid) Account(string passwd, string name)
    {
        var fields = File.ReadAllLines(passwd).Select(l => l.Split(':')).Single(f => f[0] == name);
        return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<(string Mode, int Uid, int Gid)> StatAsync(string path)
    {
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%a %u %g", path]);
        var parts = stat.StandardOutput.Trim().Split(' ');
        return (parts[0].PadLeft(4, '0'), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
