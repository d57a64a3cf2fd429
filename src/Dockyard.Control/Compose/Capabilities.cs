namespace Dockyard.Control.Compose;

/// <summary>Capability names as docker/cli normalises them: upper case, <c>CAP_</c> prefix, <c>ALL</c> kept.</summary>
internal static class Capabilities
{
    public const string All = "ALL";

    public static string Normalize(string capability)
    {
        var c = capability.Trim().ToUpperInvariant();
        return c == All || c.StartsWith("CAP_", StringComparison.Ordinal) ? c : "CAP_" + c;
    }

    /// <summary>docker's EffectiveCapAddCapDrop: sorted, unique, ALL trumps, and an added capability is never dropped.</summary>
    public static (List<string> Add, List<string> Drop) Effective(IEnumerable<string> add, IEnumerable<string> drop)
    {
        var adds = NormalizeAll(add);
        var drops = NormalizeAll(drop);
        if (adds.Contains(All))
        {
            adds = [All];
        }

        if (drops.Contains(All))
        {
            drops = [All];
        }

        drops = drops.Where(d => !adds.Contains(d)).ToList();
        return (adds, drops);
    }

    private static List<string> NormalizeAll(IEnumerable<string> capabilities) =>
        capabilities.Select(Normalize).Distinct().Order(StringComparer.Ordinal).ToList();
}
