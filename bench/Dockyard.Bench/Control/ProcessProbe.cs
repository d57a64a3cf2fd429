using System.Diagnostics;
using System.Globalization;

namespace Dockyard.Bench.Control;

/// <summary>What /proc and <c>ss</c> say about the Dockyard process: RSS, CPU time, connections to an engine socket.</summary>
internal static class ProcessProbe
{
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>VmRSS of <paramref name="pid"/> in KiB.</summary>
    public static long RssKib(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>utime+stime of <paramref name="pid"/> in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may contain spaces) start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// Connections <paramref name="pid"/> holds to the unix socket <paramref name="socketPath"/>: the engine's accepted
    /// ends (rows of <c>ss -xn</c> whose local address is the socket) whose peer inode is one of the process's socket fds.
    /// </summary>
    public static int EngineConnections(int pid, string socketPath)
    {
        var peers = new HashSet<long>();
        foreach (var line in Run("ss", "-xn").Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Netid State Recv-Q Send-Q Local-Address Port Peer-Address Port
            if (fields.Length >= 8 && fields[4] == socketPath && long.TryParse(fields[7], CultureInfo.InvariantCulture, out var peer))
            {
                peers.Add(peer);
            }
        }

        var count = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                && long.TryParse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture, out var inode) && peers.Contains(inode))
            {
                count++;
            }
        }

        return count;
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
    }

    private static double ClockTicks()
    {
        try
        {
            return double.Parse(Run("getconf", "CLK_TCK").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or FormatException)
        {
            return 100;
        }
    }
}
