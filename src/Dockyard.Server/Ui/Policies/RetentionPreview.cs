using Dockyard.Server.Policies;

namespace Dockyard.Server.Ui.Policies;

/// <summary>A retention run (or dry run) as the policy pages show it: what is (or would be) deleted and what is kept, and why.</summary>
public sealed record RetentionPreview(bool DryRun, IReadOnlyList<RetentionPreviewRow> Deletions, IReadOnlyList<RetentionPreviewRow> Kept, int Deleted, int Failed, IReadOnlyList<string> Errors)
{
    internal static RetentionPreview From(RetentionRunResult result) => new(
        result.DryRun,
        [.. result.Plans.SelectMany(plan => plan.Deletions.Select(d => d.Kind == RetentionDeletionKind.Tag
            ? new RetentionPreviewRow(plan.Repository, d.Tags[0], "tag", $"{plan.Repository}:{d.Tags[0]}", d.Reason, d.Tags)
            : new RetentionPreviewRow(plan.Repository, d.Tags.Count > 0 ? $"{Short(d.Digest)} (tags {string.Join(", ", d.Tags)})" : Short(d.Digest), "manifest", $"{plan.Repository}@{d.Digest}", d.Reason, d.Tags)))],
        [.. result.Plans.SelectMany(plan => plan.Kept.Select(k => new RetentionPreviewRow(plan.Repository, k.Reference.StartsWith("sha256:", StringComparison.Ordinal) ? Short(k.Reference) : k.Reference, k.Reference.Contains(':', StringComparison.Ordinal) ? "manifest" : "tag", k.Reference.Contains(':', StringComparison.Ordinal) ? $"{plan.Repository}@{k.Reference}" : $"{plan.Repository}:{k.Reference}", k.Reason, k.Reference.Contains(':', StringComparison.Ordinal) ? [] : [k.Reference])))],
        result.Deleted,
        result.Failed,
        result.Errors);

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] + "…" : digest;
}
