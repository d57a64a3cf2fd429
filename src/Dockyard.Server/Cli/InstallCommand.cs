using System.CommandLine;
using Dockyard.Server.Install;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard install [--root DIR] [--user U] [--data DIR] [--config-dir DIR] [--urls URLS] [--public-url URL]
/// [--tls-cert F --tls-key F | --tls-self-signed HOST] [--binary PATH]</c> and <c>dockyard install --uninstall [--purge]</c>:
/// Dockyard as a hardened systemd service (<see cref="Installer"/>; docs/operations.md#install).
/// </summary>
internal static class InstallCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Write every file under this directory instead of / (nothing on the running system is changed).", DefaultValueFactory = _ => "/" };
        var user = new Option<string>("--user") { Description = "System account the service runs as (created with systemd-sysusers).", DefaultValueFactory = _ => "dockyard" };
        var data = new Option<string>("--data") { Description = "Data directory (0700, owned by the account).", DefaultValueFactory = _ => "/var/lib/dockyard" };
        var configDirectory = new Option<string>("--config-dir") { Description = "Directory of dockyard.json and the TLS files.", DefaultValueFactory = _ => "/etc/dockyard" };
        var urls = new Option<string>("--urls") { Description = "Listen URLs, ';'-separated (default https://0.0.0.0:443 with TLS, else http://127.0.0.1:5000)." };
        var publicUrl = new Option<string>("--public-url") { Description = "The URL clients use (required when listening beyond loopback, except with --tls-self-signed)." };
        var tlsCertificate = new Option<string>("--tls-cert") { Description = "PEM certificate to copy into the config directory." };
        var tlsKey = new Option<string>("--tls-key") { Description = "PEM private key of --tls-cert." };
        var selfSigned = new Option<string>("--tls-self-signed") { Description = "Generate a self-signed certificate for this host name or address." };
        var binary = new Option<string>("--binary") { Description = "The dockyard executable the service runs (default: this one)." };
        var uninstall = new Option<bool>("--uninstall") { Description = "Stop and remove the service and its settings; the data directory stays." };
        var purge = new Option<bool>("--purge") { Description = "With --uninstall: also delete the data directory." };
        var command = new Command("install", "Install Dockyard as a systemd service (system user, /etc/dockyard, /var/lib/dockyard, TLS, hardened unit).")
        {
            root, user, data, configDirectory, urls, publicUrl, tlsCertificate, tlsKey, selfSigned, binary, uninstall, purge,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!OperatingSystem.IsLinux())
            {
                error.WriteLine("dockyard install: it sets up a systemd service, on Linux only.");
                return 2;
            }

            if (!Environment.IsPrivilegedProcess)
            {
                error.WriteLine("dockyard install: run it as root (it creates a system user and writes to /etc).");
                return 2;
            }

            var settings = new InstallSettings
            {
                Root = parse.GetValue(root)!,
                User = parse.GetValue(user)!,
                DataDirectory = parse.GetValue(data)!,
                ConfigDirectory = parse.GetValue(configDirectory)!,
                Urls = parse.GetValue(urls),
                PublicUrl = parse.GetValue(publicUrl),
                TlsCertificate = parse.GetValue(tlsCertificate) is { } c ? Path.GetFullPath(c) : null,
                TlsKey = parse.GetValue(tlsKey) is { } k ? Path.GetFullPath(k) : null,
                SelfSignedHost = parse.GetValue(selfSigned),
                Command = parse.GetValue(binary) is { } b ? [Path.GetFullPath(b)] : ThisProgram(),
            };
            try
            {
                var installer = new Installer(settings, output, TimeProvider.System);
                if (parse.GetValue(uninstall))
                {
                    installer.Uninstall(parse.GetValue(purge));
                }
                else
                {
                    installer.Install();
                }

                return 0;
            }
            catch (Exception e) when (e is InstallException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"dockyard install: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The command line that runs this binary: the published executable, or <c>dotnet dockyard.dll</c> when run through the dotnet host.</summary>
    private static IReadOnlyList<string> ThisProgram()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "dockyard.dll")]
            : [process];
    }
}
