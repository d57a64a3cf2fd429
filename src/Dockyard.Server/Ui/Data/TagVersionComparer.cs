namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Orders tag names as versions where they look like one: <c>0.98.0</c> before <c>0.101.0</c>, <c>v1.2</c> as
/// <c>1.2</c>, a pre-release before its release (<c>1.0.0-rc.2</c> &lt; <c>1.0.0-rc.10</c> &lt; <c>1.0.0</c>, identifiers
/// compared as in SemVer 2.0: numbers numerically and before words). A version is an optional <c>v</c>, then one or more
/// dot-separated numbers (<c>1</c>, <c>1.2</c>, <c>1.2.3.4</c>; a shorter one first: <c>1.2</c> &lt; <c>1.2.0</c>),
/// then optionally a pre-release: <c>-</c> and anything, or letters right after the numbers (<c>3.9.0rc1</c>, and
/// <c>1.25-alpine</c> too: a variant reads as a pre-release), or a build suffix after <c>_</c>, which sorts right after
/// the bare version. Every other tag (<c>latest</c>, <c>main</c>, <c>sha256-….sig</c>) sorts after all versions, by
/// ordinal name. Equal versions spelled differently (<c>1.0.0</c>, <c>v1.0.0</c>) fall back to ordinal order, so the
/// order is total and stable across pages.
/// </summary>
internal sealed class TagVersionComparer : IComparer<string>
{
    public static readonly TagVersionComparer Instance = new();

    private TagVersionComparer()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var a = Parse(x);
        var b = Parse(y);
        if (a.IsVersion != b.IsVersion)
        {
            return a.IsVersion ? -1 : 1;
        }

        if (a.IsVersion)
        {
            var byVersion = CompareVersions(x, a, y, b);
            if (byVersion != 0)
            {
                return byVersion;
            }
        }

        return string.CompareOrdinal(x, y);
    }

    private static int CompareVersions(string x, Parsed a, string y, Parsed b)
    {
        var core = CompareDotted(x.AsSpan(a.CoreStart, a.CoreLength), y.AsSpan(b.CoreStart, b.CoreLength), numbersOnly: true);
        if (core != 0)
        {
            return core;
        }

        // A release sorts after its pre-releases.
        var aPre = a.PreLength > 0;
        var bPre = b.PreLength > 0;
        if (aPre != bPre)
        {
            return aPre ? -1 : 1;
        }

        return aPre ? CompareDotted(x.AsSpan(a.PreStart, a.PreLength), y.AsSpan(b.PreStart, b.PreLength), numbersOnly: false) : 0;
    }

    /// <summary>Dot-separated identifiers, each numerically if both are numbers (numbers before words), a shorter list first.</summary>
    private static int CompareDotted(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool numbersOnly)
    {
        while (true)
        {
            if (a.IsEmpty || b.IsEmpty)
            {
                return a.IsEmpty == b.IsEmpty ? 0 : a.IsEmpty ? -1 : 1;
            }

            var i = a.IndexOf('.');
            var j = b.IndexOf('.');
            var left = i < 0 ? a : a[..i];
            var right = j < 0 ? b : b[..j];
            var order = CompareIdentifier(left, right, numbersOnly);
            if (order != 0)
            {
                return order;
            }

            // "1." and "1" differ only in a trailing empty identifier: the shorter first.
            if ((i < 0) != (j < 0))
            {
                return i < 0 ? -1 : 1;
            }

            if (i < 0)
            {
                return 0;
            }

            a = a[(i + 1)..];
            b = b[(j + 1)..];
        }
    }

    private static int CompareIdentifier(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool numbersOnly)
    {
        var aNumber = IsNumber(a);
        var bNumber = IsNumber(b);
        if (aNumber && bNumber)
        {
            // By value, however long (no overflow): without leading zeros, a longer number is larger.
            var x = a.TrimStart('0');
            var y = b.TrimStart('0');
            return x.Length != y.Length ? x.Length.CompareTo(y.Length) : x.SequenceCompareTo(y);
        }

        if (numbersOnly || aNumber != bNumber)
        {
            return aNumber ? -1 : bNumber ? 1 : a.SequenceCompareTo(b);
        }

        return a.SequenceCompareTo(b);
    }

    private static bool IsNumber(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExceptInRange('0', '9');

    private static Parsed Parse(string tag)
    {
        var start = tag.Length > 1 && tag[0] is 'v' or 'V' ? 1 : 0;
        if (start >= tag.Length || !char.IsAsciiDigit(tag[start]))
        {
            return default;
        }

        // The core: digits and dots, ending in a digit.
        var end = start;
        while (end < tag.Length && (char.IsAsciiDigit(tag[end]) || (tag[end] == '.' && end + 1 < tag.Length && char.IsAsciiDigit(tag[end + 1]))))
        {
            end++;
        }

        var core = (Start: start, Length: end - start);
        if (end == tag.Length || tag[end] == '_')
        {
            // "_…" is a build suffix: the same version, after the bare one by the ordinal fallback.
            return new Parsed(true, core.Start, core.Length, 0, 0);
        }

        if (tag[end] == '-')
        {
            return new Parsed(true, core.Start, core.Length, end + 1, tag.Length - end - 1);
        }

        if (char.IsAsciiLetter(tag[end]))
        {
            return new Parsed(true, core.Start, core.Length, end, tag.Length - end);
        }

        // "1.2.x", "1..2": not a version.
        return default;
    }

    private readonly record struct Parsed(bool IsVersion, int CoreStart, int CoreLength, int PreStart, int PreLength);
}
