namespace Dockyard.Server.Access;

/// <summary>
/// Repository globs for token scopes: <c>*</c> matches any characters within one path component, <c>**</c> matches
/// across components (so <c>prod/**</c> is every repository under <c>prod/</c>); everything else is literal.
/// </summary>
internal static class RepositoryPattern
{
    public static bool Matches(string pattern, string repository) => Match(pattern.AsSpan(), repository.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (!pattern.IsEmpty)
        {
            if (pattern.StartsWith("**"))
            {
                var rest = pattern[2..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (Match(rest, text[i..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (pattern[0] == '*')
            {
                var rest = pattern[1..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (Match(rest, text[i..]))
                    {
                        return true;
                    }

                    if (i < text.Length && text[i] == '/')
                    {
                        break;
                    }
                }

                return false;
            }

            if (text.IsEmpty || text[0] != pattern[0])
            {
                return false;
            }

            pattern = pattern[1..];
            text = text[1..];
        }

        return text.IsEmpty;
    }
}
