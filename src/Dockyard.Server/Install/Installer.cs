using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Install;

/// <summary>
/// Sets Dockyard up as a systemd service (<c>dockyard install</c>): the system user (systemd-sysusers), the data
/// directory, the settings file, the TLS files and the hardened unit, every path under <see cref="InstallSettings.Root"/>.
/// It never starts the service; with the real root it reloads systemd and says how to start it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class Installer(InstallSettings settings, TextWriter output, TimeProvider time)
{
    private const UnixFileMode Mode0755 = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Mode0750 = (UnixFileMode)0b111_101_000;
    private const UnixFileMode Mode0700 = (UnixFileMode)0b111_000_000;
    private const UnixFileMode Mode0644 = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Mode0640 = (UnixFileMode)0b110_100_000;
    private const UnixFileMode Mode0600 = (UnixFileMode)0b110_000_000;

    private bool RealRoot => Path.GetFullPath(settings.Root) == "/";

    public void Install()
    {
        ValidateTlsFlags();
        // A settings file from an earlier install is kept, and its listen URLs decide what the unit needs.
        var kept = KeptUrls();
        var urls = ListenUrls.Parse(kept ?? settings.EffectiveUrls);
        var publicUrl = kept is null ? Validate(urls) : null;
        if (kept is not null && (settings.Urls is not null || settings.PublicUrl is not null))
        {
            output.WriteLine($"note: --urls/--public-url are not applied: {settings.UnderRoot(settings.ConfigFile)} exists and is kept (urls: {kept})");
        }

        var account = CreateAccount();
        CreateDataDirectory(account);

        CreateDirectory(settings.ConfigDirectory, Mode0750, 0, account.Gid);
        var tlsWritten = WriteTls(account);
        WriteSettings(account, publicUrl, tlsWritten);

        WriteFile(InstallSettings.UnitFile, SystemdUnit.Render(settings, ListenUrls.NeedsPrivilegedPort(urls)), Mode0644, 0, 0);
        output.WriteLine($"wrote {settings.UnderRoot(InstallSettings.UnitFile)}");
        if (!RealRoot)
        {
            return;
        }

        HostCommands.Run("systemctl", "daemon-reload");
        output.WriteLine();
        output.WriteLine("Dockyard is installed. Start it now and at every boot with:");
        output.WriteLine("    systemctl enable --now dockyard");
        output.WriteLine($"The first start creates the administrator 'admin'; its password is then in {Path.Combine(settings.DataDirectory, Accounts.AdminBootstrapper.PasswordFileName)}.");
        output.WriteLine("Status and logs: systemctl status dockyard; journalctl -u dockyard");
    }

    /// <summary><c>dockyard install --uninstall [--purge]</c>: removes the unit and the settings; the data and the account only with <paramref name="purge"/>.</summary>
    public void Uninstall(bool purge)
    {
        if (RealRoot)
        {
            // Not installed, or already stopped: nothing to report.
            _ = HostCommands.RunUnchecked("systemctl", "disable", "--now", "dockyard.service");
        }

        Remove(InstallSettings.UnitFile);
        Remove(settings.ConfigDirectory);
        if (purge)
        {
            Remove(settings.DataDirectory);
            // The account itself stays (systemd's advice: a reused uid would own whatever the old one left behind).
            Remove(settings.SysusersFile);
        }
        else
        {
            output.WriteLine($"kept {settings.UnderRoot(settings.DataDirectory)} (remove it with --purge)");
        }

        if (RealRoot)
        {
            HostCommands.Run("systemctl", "daemon-reload");
        }
    }

    private void ValidateTlsFlags()
    {
        if (settings.TlsCertificate is null != settings.TlsKey is null)
        {
            throw new InstallException("--tls-cert and --tls-key go together.");
        }

        if (settings.TlsCertificate is not null && settings.SelfSignedHost is not null)
        {
            throw new InstallException("Give either --tls-cert/--tls-key or --tls-self-signed, not both.");
        }

        if (settings.TlsCertificate is not null)
        {
            // Fails with the reason (unreadable, not PEM, key not matching) before anything is written.
            using var _ = ReloadingCertificate.Load(new TlsOptions { CertificateFile = settings.TlsCertificate, KeyFile = settings.TlsKey });
        }
    }

    /// <summary>The <c>urls</c> of an existing settings file (the default when it names none), or null when there is no file.</summary>
    private string? KeptUrls()
    {
        var path = settings.UnderRoot(settings.ConfigFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.String
                ? urls.GetString()!
                : Hosting.DockyardApp.DefaultUrls;
        }
        catch (JsonException e)
        {
            throw new InstallException($"The existing settings file {path} is not valid JSON ({e.Message}); fix or remove it first.");
        }
    }

    private string? Validate(IReadOnlyList<Uri> urls)
    {

        var https = urls.Where(u => u.Scheme == "https").ToList();
        if (https.Count > 0 && !settings.HasTls && !File.Exists(settings.UnderRoot(settings.CertificateFile)))
        {
            throw new InstallException($"--urls has an https:// address but no certificate: add --tls-cert/--tls-key or --tls-self-signed HOSTNAME.");
        }

        if (settings.HasTls && https.Count == 0)
        {
            throw new InstallException("A certificate was given but --urls has no https:// address to serve it on.");
        }

        if (settings.PublicUrl is not null || ListenUrls.LoopbackOnly(urls))
        {
            return settings.PublicUrl;
        }

        if (settings.SelfSignedHost is not null)
        {
            var port = https[0].Port;
            return port == 443 ? $"https://{settings.SelfSignedHost}" : $"https://{settings.SelfSignedHost}:{port}";
        }

        throw new InstallException("Listening beyond loopback needs --public-url, the URL clients use (e.g. https://registry.example.com).");
    }

    private SystemAccount CreateAccount()
    {
        var entry = $"# Written by `dockyard install`: the account the dockyard service runs as.\nu {settings.User} - \"Dockyard container registry\" {settings.DataDirectory} /usr/sbin/nologin\n";
        WriteFile(settings.SysusersFile, entry, Mode0644, 0, 0);
        var file = settings.UnderRoot(settings.SysusersFile);
        if (RealRoot)
        {
            HostCommands.Run("systemd-sysusers", file);
        }
        else
        {
            HostCommands.Run("systemd-sysusers", "--root", Path.GetFullPath(settings.Root), file);
        }

        var account = SystemAccount.Find(settings.UnderRoot("/etc/passwd"), settings.User)
            ?? throw new InstallException($"systemd-sysusers did not create the user {settings.User}.");
        output.WriteLine($"user {account.Name} (uid {account.Uid}, gid {account.Gid})");
        return account;
    }

    private void CreateDataDirectory(SystemAccount account)
    {
        var path = settings.UnderRoot(settings.DataDirectory);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            var owner = OwnerOf(path);
            if (owner != account.Uid)
            {
                throw new InstallException(
                    $"The data directory {path} already holds files and belongs to uid {owner}, not {account.Name}: " +
                    $"`chown -R {account.Name}: {path}` if it is Dockyard's, or choose another --data.");
            }

            output.WriteLine($"kept {path} (owned by {account.Name})");
            return;
        }

        CreateDirectory(settings.DataDirectory, Mode0700, account.Uid, account.Gid);
        output.WriteLine($"created {path} (0700, {account.Name})");
    }

    /// <summary>Copies or generates the certificate and key; true when the settings file should name them.</summary>
    private bool WriteTls(SystemAccount account)
    {
        string certificate;
        string key;
        if (settings.TlsCertificate is not null)
        {
            certificate = File.ReadAllText(settings.TlsCertificate);
            key = File.ReadAllText(settings.TlsKey!);
        }
        else if (settings.SelfSignedHost is not null)
        {
            (certificate, key) = SelfSignedCertificate.Create(settings.SelfSignedHost, time, TimeSpan.FromDays(825));
        }
        else
        {
            return File.Exists(settings.UnderRoot(settings.CertificateFile));
        }

        CreateDirectory(Path.GetDirectoryName(settings.CertificateFile)!, Mode0750, 0, account.Gid);
        // Both replaced by rename, so a running server never reads half a file (it reloads them on change).
        WriteFile(settings.KeyFile, key, Mode0600, account.Uid, account.Gid);
        WriteFile(settings.CertificateFile, certificate, Mode0600, account.Uid, account.Gid);
        output.WriteLine($"wrote {settings.UnderRoot(settings.CertificateFile)} and {settings.UnderRoot(settings.KeyFile)} (0600, {account.Name})"
            + (settings.SelfSignedHost is null ? string.Empty : $": self-signed for {settings.SelfSignedHost}; clients must trust this certificate"));
        return true;
    }

    private void WriteSettings(SystemAccount account, string? publicUrl, bool tls)
    {
        var path = settings.UnderRoot(settings.ConfigFile);
        if (File.Exists(path))
        {
            output.WriteLine($"kept {path} (edit it, or remove it and install again, to change the settings)");
            return;
        }

        var dockyard = new JsonObject { ["DataDirectory"] = settings.DataDirectory };
        if (publicUrl is not null)
        {
            dockyard["PublicUrl"] = publicUrl;
        }

        if (tls)
        {
            dockyard["Tls"] = new JsonObject { ["CertificateFile"] = settings.CertificateFile, ["KeyFile"] = settings.KeyFile };
        }

        var document = new JsonObject { ["urls"] = settings.EffectiveUrls, ["Dockyard"] = dockyard };
        // root-owned and group-readable: the service reads its settings but cannot change them.
        WriteFile(settings.ConfigFile, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", Mode0640, 0, account.Gid);
        output.WriteLine($"wrote {path} (0640, root:{account.Name})");
    }

    private void CreateDirectory(string installedPath, UnixFileMode mode, int uid, int gid)
    {
        var path = settings.UnderRoot(installedPath);
        var parent = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent, Mode0755);
        }

        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode);
        HostCommands.Run("chown", $"{uid}:{gid}", path);
    }

    /// <summary>Writes a file whole: created with <paramref name="mode"/> and owner under a temporary name, then renamed over the old one.</summary>
    private void WriteFile(string installedPath, string content, UnixFileMode mode, int uid, int gid)
    {
        var path = settings.UnderRoot(installedPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, Mode0755);
        var temporary = path + ".dockyard-install";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.SetUnixFileMode(temporary, mode);
        HostCommands.Run("chown", $"{uid}:{gid}", temporary);
        File.Move(temporary, path, overwrite: true);
    }

    private void Remove(string installedPath)
    {
        var path = settings.UnderRoot(installedPath);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
        else
        {
            return;
        }

        output.WriteLine($"removed {path}");
    }

    private static int OwnerOf(string path)
    {
        var (exitCode, owner) = HostCommands.RunUnchecked("stat", "-c", "%u", path);
        return exitCode == 0 && int.TryParse(owner.Trim(), out var uid) ? uid : -1;
    }
}
