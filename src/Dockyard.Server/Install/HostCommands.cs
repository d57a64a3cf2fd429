using System.Diagnostics;

namespace Dockyard.Server.Install;

/// <summary>The system tools <c>dockyard install</c> calls (systemd-sysusers, systemctl, chown), run to completion.</summary>
internal static class HostCommands
{
    /// <summary>Runs <paramref name="file"/>; throws <see cref="InstallException"/> with its output when it fails or is missing.</summary>
    public static void Run(string file, params string[] arguments)
    {
        if (RunUnchecked(file, arguments) is { ExitCode: not 0 } failed)
        {
            throw new InstallException($"`{file} {string.Join(' ', arguments)}` failed (exit code {failed.ExitCode}): {failed.Output.Trim()}");
        }
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code and combined output; throws only when it cannot start.</summary>
    public static (int ExitCode, string Output) RunUnchecked(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InstallException($"{file} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InstallException($"{file} could not be run ({e.Message}); is this a Debian/Ubuntu system with systemd?");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.GetAwaiter().GetResult());
        }
    }
}
