using System.Text.RegularExpressions;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// Dockyard's own container, when it runs in one, so lists can hide it like system containers. Read once at start:
/// the first 64-hex container id in <c>/proc/self/cgroup</c> (cgroup v1, and v2 under Docker's cgroupfs driver), or
/// the host name when it is 12 hex digits (Docker's default host name is the id's first 12). Neither is proof —
/// a bare host named like an id would hide one container of that id prefix — and that is enough for a list filter.
/// </summary>
internal static partial class DockyardSelf
{
    private static readonly Lazy<(string? Id, string? Prefix)> Self = new(Detect);

    /// <summary>True when <paramref name="containerId"/> is probably the container Dockyard runs in.</summary>
    public static bool Is(string containerId)
    {
        var (id, prefix) = Self.Value;
        return (id is not null && string.Equals(containerId, id, StringComparison.Ordinal))
            || (prefix is not null && containerId.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>The detection itself, for tests: the id found in <paramref name="cgroup"/>, else a host name that looks like an id prefix.</summary>
    internal static (string? Id, string? Prefix) Detect(string? cgroup, string hostName)
    {
        var id = cgroup is null ? null : ContainerId().Match(cgroup) is { Success: true } match ? match.Groups[1].Value : null;
        var prefix = id is null && ShortId().IsMatch(hostName) ? hostName : null;
        return (id, prefix);
    }

    private static (string? Id, string? Prefix) Detect()
    {
        string? cgroup = null;
        try
        {
            cgroup = File.Exists("/proc/self/cgroup") ? File.ReadAllText("/proc/self/cgroup") : null;
        }
        catch (IOException)
        {
            // Unreadable: fall back to the host name.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        return Detect(cgroup, Environment.MachineName);
    }

    [GeneratedRegex("(?:docker[-/]|/)([0-9a-f]{64})(?:\\.scope)?\\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ContainerId();

    [GeneratedRegex("^[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortId();
}
