using System.Text;

namespace Dockyard.Control.Compose;

/// <summary>
/// Compose variable interpolation on one scalar: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c> and <c>$$</c> for a literal <c>$</c>.
/// Defaults may themselves contain variables. Failures are <see cref="FormatException"/>s the loader positions.
/// </summary>
internal static class ComposeInterpolator
{
    /// <param name="text">The scalar.</param>
    /// <param name="environment">The stack environment.</param>
    /// <param name="unset">Called with each variable that is not set and has no default (it becomes "").</param>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> environment, Action<string> unset)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                result.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw new FormatException("a lone '$' at the end; write $$ for a literal $");
            }

            var next = text[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                var end = ClosingBrace(text, i + 2);
                result.Append(Braced(text[(i + 2)..end], environment, unset));
                i = end + 1;
            }
            else if (IsNameStart(next))
            {
                var end = i + 1;
                while (end < text.Length && IsNamePart(text[end]))
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                result.Append(Lookup(name, environment, unset));
                i = end;
            }
            else
            {
                throw new FormatException($"invalid interpolation '${next}'; write $$ for a literal $");
            }
        }

        return result.ToString();
    }

    private static string Braced(string body, IReadOnlyDictionary<string, string> environment, Action<string> unset)
    {
        var n = 0;
        while (n < body.Length && IsNamePart(body[n]))
        {
            n++;
        }

        var name = body[..n];
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            throw new FormatException($"invalid variable name in '${{{body}}}'");
        }

        if (n == body.Length)
        {
            return Lookup(name, environment, unset);
        }

        var rest = body[n..];
        var colon = rest.StartsWith(':');
        var op = colon ? (rest.Length > 1 ? rest[1] : '\0') : rest[0];
        var argument = rest[(colon ? 2 : 1)..];
        var isSet = environment.TryGetValue(name, out var value);
        var present = colon ? isSet && value!.Length > 0 : isSet;
        switch (op)
        {
            case '-':
                return present ? value! : Interpolate(argument, environment, unset);
            case '+':
                return present ? Interpolate(argument, environment, unset) : "";
            case '?':
                if (present)
                {
                    return value!;
                }

                var reason = Interpolate(argument, environment, unset);
                throw new FormatException(reason.Length > 0
                    ? $"required variable {name} is missing a value: {reason}"
                    : $"required variable {name} is missing a value");
            default:
                throw new FormatException($"invalid interpolation '${{{body}}}': expected :-, -, :?, ?, :+ or + after the name");
        }
    }

    private static string Lookup(string name, IReadOnlyDictionary<string, string> environment, Action<string> unset)
    {
        if (environment.TryGetValue(name, out var value))
        {
            return value;
        }

        unset(name);
        return "";
    }

    private static int ClosingBrace(string text, int from)
    {
        var depth = 1;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException("'${' without a closing '}'");
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNamePart(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);
}
