using System.Diagnostics;
using System.Globalization;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Signals and process-tree helpers for child processes this test run started (always addressed by PID).</summary>
public static class UnixProcess
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigStop = 19;
    public const int SigCont = 18;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/> (via kill(1)); false if it no longer exists.</summary>
    public static async Task<bool> SignalAsync(int pid, int signal)
    {
        var result = await ProcessRunner.RunUncheckedAsync(
            "kill",
            [$"-{signal.ToString(CultureInfo.InvariantCulture)}", pid.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(10));
        return result.ExitCode == 0;
    }

    /// <summary>PIDs whose parent is <paramref name="parentPid"/> (from /proc).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parentPid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces and parens.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parentPid)
                {
                    children.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process went away while we looked
            }
        }

        return children;
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL; waits (bounded) for the exit.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        await SignalAsync(process.Id, SigTerm);
        using (var cts = new CancellationTokenSource(grace))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // fall through to SIGKILL
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        using var killCts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(killCts.Token);
        }
        catch (OperationCanceledException)
        {
            // nothing more we can do; the caller's diagnostics will show it
        }
    }
}
