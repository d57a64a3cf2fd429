using System.Globalization;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Ui.Policies;

/// <summary>Policies and storage figures in words, the same on every page.</summary>
internal static class PolicyText
{
    /// <summary>"keep the 10 most recent tags; keep tags matching v*, latest; delete untagged manifests after 7d".</summary>
    public static string Describe(RetentionRule rule)
    {
        var parts = new List<string>();
        if (rule.KeepLastTags is { } count)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"keep the {count} most recently pushed tags"));
        }

        if (rule.KeepTagPatterns.Count > 0)
        {
            parts.Add("keep tags matching " + string.Join(", ", rule.KeepTagPatterns));
        }

        if (!rule.GovernsTags)
        {
            parts.Add("tags are not touched");
        }

        if (rule.DeleteUntaggedAfter is { } age)
        {
            parts.Add($"delete untagged manifests after {DurationText.Format(age)}");
        }

        parts.Add(rule.IncludeRecent ? "recently pushed tags may be deleted too" : "recently pushed tags are kept");
        return string.Join("; ", parts);
    }

    /// <summary>Percent of <paramref name="quota"/> used, whole (may exceed 100).</summary>
    public static int Percent(long used, long quota) => quota <= 0 ? (used > 0 ? 100 : 0) : (int)Math.Min(999, used * 100 / quota);
}
