namespace Dockyard.Server.Search;

/// <summary>One repository found, as the API, the UI and the CLI show it.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Description">Its description (Markdown) as stored now.</param>
/// <param name="Visibility"><c>public</c> or <c>private</c>.</param>
/// <param name="Tags">Its most recently pushed tags, newest first (at most 10).</param>
/// <param name="TagCount">How many tags it has, signature tags aside.</param>
/// <param name="Platforms">The platforms of its tagged images (<c>linux/amd64</c>).</param>
/// <param name="LastPushedAt">When a tag last moved.</param>
/// <param name="Signed">A tagged image carries a signature (not verified by search).</param>
internal sealed record SearchHitView(
    string Repository,
    string? Description,
    string Visibility,
    IReadOnlyList<string> Tags,
    int TagCount,
    IReadOnlyList<string> Platforms,
    DateTimeOffset? LastPushedAt,
    bool Signed);

/// <summary>A page of results, best first; <paramref name="HasMore"/> when another page follows.</summary>
internal sealed record SearchResultView(IReadOnlyList<SearchHitView> Items, int Offset, int Limit, bool HasMore);
