using System.Diagnostics;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Counts THIS process's connections to a unix socket (an engine's): the socket inodes among /proc/self/fd that are
/// the peers of connections the socket's server side has accepted (from <c>ss -xn</c>, which lists each connected
/// socket with its peer's inode). Other processes' connections (the docker CLI, other tests' servers) do not count.
/// </summary>
internal static class OwnConnections
{
    public static int To(string socketPath)
    {
        var own = OwnSocketInodes();
        var count = 0;
        foreach (var line in SocketTable().Split('\n'))
        {
            // u_str ESTAB 0 0 /path/docker.sock 12345 * 67890
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 8 && fields[0] == "u_str" && fields[4] == socketPath && long.TryParse(fields[7], out var peer) && own.Contains(peer))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Polls until at most <paramref name="limit"/> connections remain; returns the last count.</summary>
    public static async Task<int> WaitForAtMostAsync(string socketPath, int limit, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int count;
        while ((count = To(socketPath)) > limit && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return count;
    }

    private static HashSet<long> OwnSocketInodes()
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && long.TryParse(target.AsSpan(8, target.Length - 9), out var inode))
                {
                    inodes.Add(inode);
                }
            }
            catch (IOException)
            {
                // The descriptor closed meanwhile.
            }
        }

        return inodes;
    }

    private static string SocketTable()
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", "-xn") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        return output;
    }
}
