using System.Globalization;

namespace Dockyard.Server.Policies;

/// <summary>
/// Decides, from a repository's tags and manifests, what a <see cref="RetentionRule"/> deletes. Pure: no clock, no
/// database; the same input always gives the same plan.
/// </summary>
/// <remarks>
/// Tags are ranked by push time, newest first; equal push times are ranked by name, ordinal descending, so the
/// ranking is total. A manifest all of whose tags go is deleted with them, unless a kept manifest lists it (an
/// index's child); otherwise only the tags go. Untagged manifests go when older than the rule allows, unless a kept
/// manifest lists them or they refer (<c>subject</c>) to a kept manifest (signatures, SBOMs); deleting an index frees
/// its children in the same plan. Nothing pushed within <c>recentWindow</c> is deleted unless the rule includes recent.
/// </remarks>
internal static class RetentionPlanner
{
    public static RetentionPlan Plan(
        string repository,
        RetentionRule rule,
        IReadOnlyList<RetentionTag> tags,
        IReadOnlyList<RetentionManifest> manifests,
        Func<string, bool> isImmutable,
        DateTimeOffset now,
        TimeSpan recentWindow)
    {
        var deletions = new List<RetentionDeletion>();
        var kept = new List<RetentionKept>();
        var recentSince = now - recentWindow;
        var recentText = $"pushed within the last {DurationText.Format(recentWindow)}";
        var byDigest = manifests.ToDictionary(m => m.Digest, StringComparer.Ordinal);
        var deletedTags = new HashSet<string>(StringComparer.Ordinal);
        var tagReasons = new Dictionary<string, string>(StringComparer.Ordinal);

        if (rule.GovernsTags)
        {
            var ranked = tags.OrderByDescending(t => t.PushedAt).ThenByDescending(t => t.Name, StringComparer.Ordinal).ToList();
            for (var rank = 0; rank < ranked.Count; rank++)
            {
                var tag = ranked[rank];
                var keepReason = rank < rule.KeepLastTags
                    ? $"among the {rule.KeepLastTags} most recently pushed tags"
                    : rule.KeepTagPatterns.FirstOrDefault(p => TagPatterns.Matches(p, tag.Name)) is { } pattern
                        ? $"matches keep pattern \"{pattern}\""
                        : isImmutable(tag.Name)
                            ? "immutable"
                            : !rule.IncludeRecent && tag.PushedAt > recentSince ? recentText : null;
                if (keepReason is not null)
                {
                    kept.Add(new RetentionKept(tag.Name, keepReason));
                    continue;
                }

                deletedTags.Add(tag.Name);
                tagReasons[tag.Name] = rule.KeepLastTags is { } count
                    ? $"not among the {count} most recently pushed tags" + (rule.KeepTagPatterns.Count > 0 ? " and matches no keep pattern" : string.Empty)
                    : "matches no keep pattern";
            }
        }

        // Manifests whose every tag goes are deleted with their tags, unless a surviving index lists them.
        var surviving = new HashSet<string>(byDigest.Keys, StringComparer.Ordinal);
        var tagged = new HashSet<string>(tags.Where(t => !deletedTags.Contains(t.Name)).Select(t => t.Digest), StringComparer.Ordinal);
        var losing = tags.Where(t => deletedTags.Contains(t.Name)).GroupBy(t => t.Digest, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var emptied = losing.Where(g => !tagged.Contains(g.Key) && byDigest.ContainsKey(g.Key)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var digest in emptied)
        {
            surviving.Remove(digest);
        }

        var listed = ListedBy(surviving, byDigest);
        foreach (var group in losing)
        {
            var names = group.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
            if (emptied.Contains(group.Key) && !listed.Contains(group.Key))
            {
                deletions.Add(new RetentionDeletion(RetentionDeletionKind.Manifest, group.Key, names, $"{Describe(names, tagReasons)}; no tag left"));
                continue;
            }

            if (byDigest.ContainsKey(group.Key))
            {
                surviving.Add(group.Key);
            }

            deletions.AddRange(names.Select(name => new RetentionDeletion(RetentionDeletionKind.Tag, group.Key, [name], tagReasons[name])));
        }

        if (rule.DeleteUntaggedAfter is { } age)
        {
            PlanUntagged(rule, age, byDigest, surviving, tagged, now, recentSince, recentText, deletions, kept);
        }

        return new RetentionPlan(repository, deletions, kept);
    }

    private static void PlanUntagged(
        RetentionRule rule,
        TimeSpan age,
        Dictionary<string, RetentionManifest> byDigest,
        HashSet<string> surviving,
        HashSet<string> tagged,
        DateTimeOffset now,
        DateTimeOffset recentSince,
        string recentText,
        List<RetentionDeletion> deletions,
        List<RetentionKept> kept)
    {
        var cutoff = now - age;
        var ageText = DurationText.Format(age);
        var keptReasons = new Dictionary<string, string>(StringComparer.Ordinal);

        // Deleting an index frees its children: repeat until nothing more goes.
        bool changed;
        do
        {
            changed = false;
            var listed = ListedBy(surviving, byDigest);
            foreach (var digest in surviving.Where(d => !tagged.Contains(d)).Order(StringComparer.Ordinal).ToList())
            {
                var manifest = byDigest[digest];
                var reason = listed.Contains(digest) ? "listed by a kept index"
                    : manifest.Subject is { } subject && surviving.Contains(subject) ? $"refers to {subject}, which is kept"
                    : !rule.IncludeRecent && manifest.CreatedAt > recentSince ? recentText
                    : manifest.CreatedAt > cutoff ? $"untagged but pushed less than {ageText} ago"
                    : null;
                if (reason is not null)
                {
                    keptReasons[digest] = reason;
                    continue;
                }

                keptReasons.Remove(digest);
                surviving.Remove(digest);
                deletions.Add(new RetentionDeletion(RetentionDeletionKind.Manifest, digest, [], $"untagged and pushed more than {ageText} ago"));
                changed = true;
            }
        }
        while (changed);

        kept.AddRange(keptReasons.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new RetentionKept(k.Key, k.Value)));
    }

    private static HashSet<string> ListedBy(HashSet<string> parents, Dictionary<string, RetentionManifest> byDigest)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parent in parents)
        {
            foreach (var child in byDigest[parent].Children)
            {
                if (!string.Equals(child, parent, StringComparison.Ordinal))
                {
                    listed.Add(child);
                }
            }
        }

        return listed;
    }

    private static string Describe(IReadOnlyList<string> names, Dictionary<string, string> reasons) =>
        string.Join("; ", names.Select(n => string.Create(CultureInfo.InvariantCulture, $"tag \"{n}\" {reasons[n]}")));
}
