namespace Dockyard.Server.Search;

/// <summary>
/// The one tokenizer of search, used on both sides: documents are stored as lower-case runs of letters and digits
/// separated by single spaces, and a query is cut the same way. A query therefore never reaches FTS5's or
/// PostgreSQL's query syntax as text: the expressions built here contain only those words, each quoted (FTS5) or
/// bare (tsquery, where a word of letters and digits has no operator meaning), so quotes, <c>*</c>, <c>NEAR</c>,
/// <c>-</c>, <c>:</c>, <c>&amp;</c>, <c>!</c> and parentheses in what a user types are separators, not syntax.
/// </summary>
internal static class SearchText
{
    /// <summary>At most this many words of a query are used (the rest is ignored).</summary>
    public const int MaxQueryWords = 8;

    /// <summary>Longest word kept; longer runs are cut (a digest-like run is not what anyone types).</summary>
    public const int MaxWordLength = 64;

    /// <summary>The words of <paramref name="text"/>: maximal runs of letters and digits, lower-cased, at most <see cref="MaxWordLength"/> long.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..Math.Min(i, start + MaxWordLength)];
                start = -1;
                yield return word.ToLowerInvariant();
            }
        }
    }

    /// <summary>The distinct words of a query, in order, at most <see cref="MaxQueryWords"/>.</summary>
    public static IReadOnlyList<string> QueryWords(string? query) =>
        string.IsNullOrEmpty(query) ? [] : [.. Words(query).Distinct(StringComparer.Ordinal).Take(MaxQueryWords)];

    /// <summary>FTS5: every word as a quoted prefix (<c>"ngi"* "alp"*</c>; all must match).</summary>
    public static string Fts5Expression(IReadOnlyList<string> words) =>
        string.Join(' ', words.Select(w => "\"" + w + "\"*"));

    /// <summary>PostgreSQL <c>to_tsquery('simple', …)</c>: every word as a prefix (<c>ngi:* &amp; alp:*</c>).</summary>
    public static string TsQueryExpression(IReadOnlyList<string> words) =>
        string.Join(" & ", words.Select(w => w + ":*"));
}
