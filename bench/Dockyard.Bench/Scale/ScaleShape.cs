using System.Globalization;

namespace Dockyard.Bench.Scale;

/// <summary>
/// The sizes and names of a generated installation (issue #19 item 3), pure arithmetic: at scale factor 1, 1,000
/// organizations × 100 repositories, 10 manifests per repository (1,000,000), about 2,000,000 tags (one repository
/// with 10,000, the others 2–38, 20 on average), 10,000,000 audit entries, 1,000 users and 1,000 teams (one per
/// organization). The viewer is in the teams of every tenth organization, whose teams are granted read on all of
/// their organization's repositories: 10% of the repositories.
/// </summary>
internal sealed record ScaleShape(int Organizations, int ReposPerOrg, int ManifestsPerRepo, int HotTags, long AuditEntries, int Users, int LayerPool)
{
    public const int ViewerOrgStride = 10;

    public static ScaleShape For(double factor)
    {
        if (factor is <= 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), "the scale factor is in (0, 10]");
        }

        return new ScaleShape(
            Organizations: Math.Max(ViewerOrgStride, (int)Math.Round(1000 * factor)),
            ReposPerOrg: 100,
            ManifestsPerRepo: 10,
            HotTags: Math.Max(100, (int)Math.Round(10_000 * factor)),
            AuditEntries: Math.Max(1000, (long)Math.Round(10_000_000 * factor)),
            Users: Math.Max(20, (int)Math.Round(1000 * factor)),
            LayerPool: Math.Max(50, (int)Math.Round(20_000 * factor)));
    }

    public int Repositories => Organizations * ReposPerOrg;

    public long Manifests => (long)Repositories * ManifestsPerRepo;

    /// <summary>Blobs uploaded and never referenced: what a garbage collection's sweep deletes.</summary>
    public int Orphans => Math.Max(10, LayerPool / 20);

    public static string Org(int o) => "org" + o.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The repository with <see cref="HotTags"/> tags is the first repository of the first organization.</summary>
    public static string Repo(int r, int reposPerOrg) => r == 0
        ? "org0000/hot"
        : $"{Org(r / reposPerOrg)}/svc-{(r % reposPerOrg).ToString("D3", CultureInfo.InvariantCulture)}";

    public string Repo(int r) => Repo(r, ReposPerOrg);

    /// <summary>Tags of repository <paramref name="r"/>: skewed, 2–38 (mean 20) but <see cref="HotTags"/> for repository 0.</summary>
    public int TagsOf(int r) => r == 0 ? HotTags : 2 + (int)((uint)(r * 7919) % 37);

    public long Tags
    {
        get
        {
            long total = 0;
            for (var r = 0; r < Repositories; r++)
            {
                total += TagsOf(r);
            }

            return total;
        }
    }

    /// <summary>Tag <paramref name="t"/> of a repository; tag 0 is <c>latest</c>.</summary>
    public static string TagName(int t) => t == 0 ? "latest" : "1." + (t / 100).ToString(CultureInfo.InvariantCulture) + "." + (t % 100).ToString(CultureInfo.InvariantCulture);

    /// <summary>The two layers of manifest <paramref name="m"/> of repository <paramref name="r"/>: a base layer shared widely, an application layer shared little.</summary>
    public (int Base, int App) LayersOf(int r, int m)
    {
        var bases = Math.Max(1, LayerPool / 100);
        var b = (r / 7) % bases;
        var a = bases + (int)((uint)((r * 31) + (m * 17)) % (uint)(LayerPool - bases));
        return (b, a);
    }

    /// <summary>Organizations whose team the viewer is in (every <see cref="ViewerOrgStride"/>th, starting at 3).</summary>
    public static bool ViewerSees(int org) => org % ViewerOrgStride == 3;
}
