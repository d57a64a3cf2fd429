namespace Dockyard.Server.Policies;

/// <summary>
/// What a retention policy keeps. A tag is kept when any rule keeps it: it is among the <see cref="KeepLastTags"/>
/// most recently pushed, it matches one of <see cref="KeepTagPatterns"/>, it is immutable, or it was pushed within
/// the recent window (unless <see cref="IncludeRecent"/>). With neither a count nor a pattern, tags are not touched.
/// Untagged manifests are deleted only when <see cref="DeleteUntaggedAfter"/> is set.
/// </summary>
internal sealed record RetentionRule
{
    public int? KeepLastTags { get; init; }

    public IReadOnlyList<string> KeepTagPatterns { get; init; } = [];

    public TimeSpan? DeleteUntaggedAfter { get; init; }

    public bool IncludeRecent { get; init; }

    /// <summary>Whether the rule says anything about tags (else every tag is kept).</summary>
    public bool GovernsTags => KeepLastTags is not null || KeepTagPatterns.Count > 0;
}
