using Dockyard.Server.Policies;

namespace Dockyard.Server.Tests.Policies;

public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Plan_KeepLastTwo_DeletesOlderTagsWithTheirManifests()
    {
        var tags = new[] { Tag("a", "d1", 7), Tag("b", "d2", 8), Tag("c", "d3", 9), Tag("d", "d4", 10) };
        var plan = Plan(new RetentionRule { KeepLastTags = 2 }, tags, Manifests("d1", "d2", "d3", "d4"));

        Assert.Equal(["d3", "d4"], plan.Deletions.Select(d => d.Digest));
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionDeletionKind.Manifest, d.Kind));
        Assert.Equal("tag \"c\" not among the 2 most recently pushed tags; no tag left", plan.Deletions[0].Reason);
        Assert.Contains(new RetentionKept("a", "among the 2 most recently pushed tags"), plan.Kept);
    }

    [Fact]
    public void Plan_EqualPushTimes_RanksByNameDescending()
    {
        var tags = new[] { Tag("v1", "d1", 5), Tag("v2", "d2", 5), Tag("v3", "d3", 5) };
        var plan = Plan(new RetentionRule { KeepLastTags = 1 }, tags, Manifests("d1", "d2", "d3"));

        Assert.Equal(["d1", "d2"], plan.Deletions.Select(d => d.Digest).Order(StringComparer.Ordinal));
        Assert.Equal("v3", Assert.Single(plan.Kept).Reference);
    }

    [Fact]
    public void Plan_KeepPattern_KeepsMatchingTagsBeyondTheCount()
    {
        var tags = new[] { Tag("latest", "d1", 8), Tag("release-1", "d2", 9), Tag("dev-1", "d3", 10) };
        var plan = Plan(new RetentionRule { KeepLastTags = 1, KeepTagPatterns = ["release-*"] }, tags, Manifests("d1", "d2", "d3"));

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal("d3", deletion.Digest);
        Assert.Equal("tag \"dev-1\" not among the 1 most recently pushed tags and matches no keep pattern; no tag left", deletion.Reason);
        Assert.Contains(new RetentionKept("release-1", "matches keep pattern \"release-*\""), plan.Kept);
    }

    [Fact]
    public void Plan_PatternsOnly_DeletesEveryTagThatMatchesNone()
    {
        var plan = Plan(new RetentionRule { KeepTagPatterns = ["v*"] }, [Tag("v1", "d1", 10), Tag("nightly", "d2", 9)], Manifests("d1", "d2"));

        Assert.Equal("matches no keep pattern; no tag left", Assert.Single(plan.Deletions).Reason[("tag \"nightly\" ".Length)..]);
    }

    [Fact]
    public void Plan_TagPushedWithinTheHour_IsKeptUnlessIncludeRecent()
    {
        var tags = new[] { Tag("new", "d1", 0.5), Tag("newer", "d2", 0.25) };

        var kept = Plan(new RetentionRule { KeepLastTags = 0 }, tags, Manifests("d1", "d2"));
        Assert.Empty(kept.Deletions);
        Assert.All(kept.Kept, k => Assert.Equal("pushed within the last 1h", k.Reason));

        var included = Plan(new RetentionRule { KeepLastTags = 0, IncludeRecent = true }, tags, Manifests("d1", "d2"));
        Assert.Equal(2, included.Deletions.Count);
    }

    [Fact]
    public void Plan_ImmutableTag_IsNeverDeleted()
    {
        var plan = Plan(new RetentionRule { KeepLastTags = 0 }, [Tag("v1", "d1", 10)], Manifests("d1"), immutable: tag => tag == "v1");

        Assert.Empty(plan.Deletions);
        Assert.Equal(new RetentionKept("v1", "immutable"), Assert.Single(plan.Kept));
    }

    [Fact]
    public void Plan_ManifestKeepsAnotherTag_OnlyTheTagGoes()
    {
        var plan = Plan(new RetentionRule { KeepLastTags = 1 }, [Tag("latest", "d1", 2), Tag("old", "d1", 10)], Manifests("d1"));

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal(RetentionDeletionKind.Tag, deletion.Kind);
        Assert.Equal(["old"], deletion.Tags);
    }

    [Fact]
    public void Plan_NoTagRules_LeavesTagsAlone()
    {
        var plan = Plan(new RetentionRule { DeleteUntaggedAfter = TimeSpan.FromDays(7) }, [Tag("old", "d1", 1000)], Manifests("d1"));

        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Plan_UntaggedOlderThanLimit_IsDeletedYoungerIsKept()
    {
        var manifests = new[] { Manifest("old", 24 * 8), Manifest("young", 24 * 2), Manifest("tagged", 24 * 30) };
        var plan = Plan(new RetentionRule { DeleteUntaggedAfter = TimeSpan.FromDays(7) }, [Tag("t", "tagged", 24 * 30)], manifests);

        var deletion = Assert.Single(plan.Deletions);
        Assert.Equal("old", deletion.Digest);
        Assert.Equal("untagged and pushed more than 1w ago", deletion.Reason);
        Assert.Contains(new RetentionKept("young", "untagged but pushed less than 1w ago"), plan.Kept);
    }

    [Fact]
    public void Plan_UntaggedWithinTheHour_IsKeptEvenWithAShortLimit()
    {
        var plan = Plan(new RetentionRule { DeleteUntaggedAfter = TimeSpan.FromMinutes(10) }, [], [Manifest("child", 0.5)]);

        Assert.Empty(plan.Deletions);
        Assert.Equal("pushed within the last 1h", Assert.Single(plan.Kept).Reason);
    }

    [Fact]
    public void Plan_ChildOfKeptIndex_IsKept_ChildOfDeletedIndexGoesToo()
    {
        var manifests = new[]
        {
            Manifest("kept-index", 100, children: ["c1"]),
            Manifest("old-index", 100, children: ["c2"]),
            Manifest("c1", 100),
            Manifest("c2", 100),
        };
        var plan = Plan(new RetentionRule { KeepLastTags = 1, DeleteUntaggedAfter = TimeSpan.FromDays(1) }, [Tag("new", "kept-index", 50), Tag("old", "old-index", 90)], manifests);

        Assert.Equal(["old-index", "c2"], plan.Deletions.Select(d => d.Digest));
        Assert.Contains(new RetentionKept("c1", "listed by a kept index"), plan.Kept);
    }

    [Fact]
    public void Plan_ReferrerOfKeptManifest_IsKept()
    {
        var manifests = new[] { Manifest("image", 100), Manifest("signature", 100, subject: "image"), Manifest("orphan-sig", 100, subject: "gone") };
        var plan = Plan(new RetentionRule { DeleteUntaggedAfter = TimeSpan.FromDays(1) }, [Tag("v1", "image", 100)], manifests);

        Assert.Equal("orphan-sig", Assert.Single(plan.Deletions).Digest);
        Assert.Contains(new RetentionKept("signature", "refers to image, which is kept"), plan.Kept);
    }

    private static RetentionPlan Plan(RetentionRule rule, IReadOnlyList<RetentionTag> tags, IReadOnlyList<RetentionManifest> manifests, Func<string, bool>? immutable = null) =>
        RetentionPlanner.Plan("acme/app", rule, tags, manifests, immutable ?? (_ => false), Now, Hour);

    private static RetentionTag Tag(string name, string digest, double hoursAgo) => new(name, digest, Now - TimeSpan.FromHours(hoursAgo));

    private static RetentionManifest Manifest(string digest, double hoursAgo, IReadOnlyList<string>? children = null, string? subject = null) =>
        new(digest, Now - TimeSpan.FromHours(hoursAgo), subject, children ?? []);

    private static RetentionManifest[] Manifests(params string[] digests) => [.. digests.Select(d => Manifest(d, 1000))];
}
