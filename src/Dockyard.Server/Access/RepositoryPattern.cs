namespace Dockyard.Server.Access;

/// <summary>
/// Repository globs for token scopes: <c>*</c> matches any characters within one path component, <c>**</c> matches
/// across components (so <c>prod/**</c> is every repository under <c>prod/</c>); everything else is literal.
/// </summary>
/// <remarks>
/// Matching simulates the glob as a set of pattern positions advanced one character of text at a time, so it costs
/// O(pattern × text) whatever the glob: a backtracking matcher takes exponential time on globs such as
/// <c>**a**a**a**a**a**b</c>, and token scopes are user input.
/// </remarks>
internal static class RepositoryPattern
{
    // Token values: a character code (0..65535) for a literal, or one of the two star kinds.
    private const int AnyWithin = -1;
    private const int AnyAcross = -2;

    public static bool Matches(string pattern, string repository)
    {
        var tokens = Tokenize(pattern);
        var states = new bool[tokens.Length + 1];
        var next = new bool[tokens.Length + 1];
        states[0] = true;
        Close(tokens, states);
        foreach (var c in repository)
        {
            Array.Clear(next);
            var any = false;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!states[i])
                {
                    continue;
                }

                switch (tokens[i])
                {
                    case AnyAcross:
                        next[i] = any = true;
                        break;
                    case AnyWithin when c != '/':
                        next[i] = any = true;
                        break;
                    case var literal when literal == c:
                        next[i + 1] = any = true;
                        break;
                }
            }

            if (!any)
            {
                return false;
            }

            (states, next) = (next, states);
            Close(tokens, states);
        }

        return states[tokens.Length];
    }

    // Stars match the empty string: being before one means also being after it.
    private static void Close(int[] tokens, bool[] states)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (states[i] && tokens[i] is AnyWithin or AnyAcross)
            {
                states[i + 1] = true;
            }
        }
    }

    private static int[] Tokenize(string pattern)
    {
        var tokens = new List<int>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '*')
            {
                tokens.Add(pattern[i]);
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                tokens.Add(AnyAcross);
                i++;
            }
            else
            {
                tokens.Add(AnyWithin);
            }
        }

        return [.. tokens];
    }
}
