namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Counts the connections a unix socket's server side holds open, from /proc/net/unix: an accepted connection is
/// listed with the listening socket's path and state 03 (connected). Used to see an engine connection close.
/// </summary>
internal static class EngineSockets
{
    private const string Connected = "03";

    public static int ConnectionsTo(string dockerHost)
    {
        var path = new Uri(dockerHost).AbsolutePath;
        return File.ReadLines("/proc/net/unix")
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields.Length >= 8 && fields[5] == Connected && fields[7] == path);
    }

    /// <summary>Polls until <see cref="ConnectionsTo"/> equals <paramref name="expected"/>; returns the last count seen.</summary>
    public static async Task<int> WaitForConnectionsAsync(string dockerHost, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int count;
        while ((count = ConnectionsTo(dockerHost)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return count;
    }
}
