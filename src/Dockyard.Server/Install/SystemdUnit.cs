using System.Text;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Install;

/// <summary>The hardened <c>dockyard.service</c> unit <c>dockyard install</c> writes (docs/operations.md#install).</summary>
internal static class SystemdUnit
{
    public static string Render(InstallSettings settings, bool privilegedPort)
    {
        var execStart = string.Join(' ', settings.Command.Concat(["serve", "--config", settings.ConfigFile]).Select(Quote));
        var unit = new StringBuilder();
        unit.AppendLine($"# Written by `dockyard install` (Dockyard {BuildInfo.Current.Version}); running it again rewrites this file.");
        unit.AppendLine("# Local changes belong in a drop-in: systemctl edit dockyard");
        unit.AppendLine("[Unit]");
        unit.AppendLine("Description=Dockyard container registry");
        unit.AppendLine("Wants=network-online.target");
        unit.AppendLine("After=network-online.target");
        unit.AppendLine();
        unit.AppendLine("[Service]");
        unit.AppendLine("# Dockyard tells systemd when it listens with its database ready (sd_notify READY=1).");
        unit.AppendLine("Type=notify");
        unit.AppendLine($"User={settings.User}");
        unit.AppendLine($"Group={settings.User}");
        unit.AppendLine($"ExecStart={execStart}");
        unit.AppendLine($"WorkingDirectory={settings.DataDirectory}");
        unit.AppendLine("UMask=0077");
        unit.AppendLine("Restart=on-failure");
        unit.AppendLine("RestartSec=5s");
        unit.AppendLine("# A first start or an upgrade may migrate the database before it is ready.");
        unit.AppendLine("TimeoutStartSec=10min");
        unit.AppendLine("# Requests in flight and queued audit entries are finished before exit.");
        unit.AppendLine("TimeoutStopSec=90s");
        unit.AppendLine();
        unit.AppendLine("# Sandbox: the whole file system is read-only except the data directory.");
        unit.AppendLine("ProtectSystem=strict");
        unit.AppendLine($"ReadWritePaths={settings.DataDirectory}");
        unit.AppendLine("ProtectHome=yes");
        unit.AppendLine("PrivateTmp=yes");
        unit.AppendLine("PrivateDevices=yes");
        unit.AppendLine("NoNewPrivileges=yes");
        unit.AppendLine("ProtectKernelTunables=yes");
        unit.AppendLine("ProtectKernelModules=yes");
        unit.AppendLine("ProtectKernelLogs=yes");
        unit.AppendLine("ProtectControlGroups=yes");
        unit.AppendLine("ProtectClock=yes");
        unit.AppendLine("ProtectHostname=yes");
        unit.AppendLine("RestrictNamespaces=yes");
        unit.AppendLine("RestrictRealtime=yes");
        unit.AppendLine("RestrictSUIDSGID=yes");
        unit.AppendLine("RemoveIPC=yes");
        unit.AppendLine("LockPersonality=yes");
        unit.AppendLine("SystemCallArchitectures=native");
        unit.AppendLine("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6");
        unit.AppendLine("# The .NET runtime compiles code at run time (JIT) into memory it then executes, which");
        unit.AppendLine("# MemoryDenyWriteExecute=yes forbids: the process would crash at start.");
        unit.AppendLine("MemoryDenyWriteExecute=no");
        if (privilegedPort)
        {
            unit.AppendLine("# A listen port below 1024 needs this one capability; nothing else is kept.");
            unit.AppendLine("CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
            unit.AppendLine("AmbientCapabilities=CAP_NET_BIND_SERVICE");
        }
        else
        {
            unit.AppendLine("CapabilityBoundingSet=");
        }

        unit.AppendLine();
        unit.AppendLine("[Install]");
        unit.AppendLine("WantedBy=multi-user.target");
        return unit.ToString();
    }

    /// <summary>systemd's command-line quoting: double quotes around a word with spaces or quotes, backslash escapes inside.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '$' or '%' or ';')
            ? word
            : "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("$", "$$", StringComparison.Ordinal).Replace("%", "%%", StringComparison.Ordinal) + "\"";
}
