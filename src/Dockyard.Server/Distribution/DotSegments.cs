namespace Dockyard.Server.Distribution;

/// <summary>
/// Finds <c>.</c> and <c>..</c> path segments in a raw request target, in any spelling (<c>.</c>, <c>%2e</c>,
/// <c>%2E</c>, mixed). Kestrel removes dot segments before routing, so <c>/v2/ns/a/../b/manifests/x</c> would be served
/// as <c>ns/b</c>: the name the client wrote is not the one the registry would act on, and it is refused instead.
/// One pass over the path without allocating; a target with neither '.' nor '%' (the common case) is one vectorized scan.
/// </summary>
internal static class DotSegments
{
    /// <summary>Whether the path of <paramref name="rawTarget"/> (query excluded) has a dot segment.</summary>
    public static bool In(ReadOnlySpan<char> rawTarget)
    {
        var path = PathOf(rawTarget);
        if (path.IndexOfAny('.', '%') < 0)
        {
            return false;
        }

        while (true)
        {
            var slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path[..slash];
            if (IsDots(segment))
            {
                return true;
            }

            if (slash < 0)
            {
                return false;
            }

            path = path[(slash + 1)..];
        }
    }

    /// <summary>The path: up to the query or fragment, past the scheme and authority of an absolute-form target.</summary>
    private static ReadOnlySpan<char> PathOf(ReadOnlySpan<char> target)
    {
        var end = target.IndexOfAny('?', '#');
        if (end >= 0)
        {
            target = target[..end];
        }

        if (target.Length > 0 && target[0] != '/')
        {
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var rest = target[(scheme + 3)..];
                var slash = rest.IndexOf('/');
                target = slash < 0 ? [] : rest[slash..];
            }
        }

        return target;
    }

    /// <summary>One or two dots, each written '.' or "%2e" (hex case-insensitive), and nothing else.</summary>
    private static bool IsDots(ReadOnlySpan<char> segment)
    {
        if (segment.Length is 0 or > 6)
        {
            return false;
        }

        var dots = 0;
        var i = 0;
        while (i < segment.Length)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (i + 2 < segment.Length && segment[i] == '%' && segment[i + 1] == '2' && (segment[i + 2] | 0x20) == 'e')
            {
                i += 3;
            }
            else
            {
                return false;
            }

            dots++;
        }

        return dots <= 2;
    }
}
