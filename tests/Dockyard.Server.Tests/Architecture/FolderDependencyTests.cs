using Dockyard.Server.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Architecture;

/// <summary>
/// Feature folders of Dockyard.Server depend one way (edges → feature services → Access/Audit/Data, see
/// docs/architecture.md): no two folders may use each other.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>
    /// Two-way pairs tolerated for now, each with its reason. The list only shrinks: an entry that is no longer two-way
    /// fails the test too, so it is removed with the dependency.
    /// </summary>
    private static readonly Dictionary<string, string> KnownTwoWayPairs = new(StringComparer.Ordinal);

    private static readonly Lazy<FolderDependencies> Dependencies = new(() =>
        FolderDependencies.Of(typeof(DockyardApp).Assembly, Path.Combine(RepositoryRoot.Path(), "src", "Dockyard.Server")));

    [Fact]
    public void Folders_DependOneWay_NoTwoWayPairsButKnownOnes()
    {
        var dependencies = Dependencies.Value;
        var unexpected = dependencies.TwoWayPairs().Where(p => !KnownTwoWayPairs.ContainsKey(p)).ToList();

        Assert.True(unexpected.Count == 0, "Folders that depend on each other:\n" + string.Join('\n', unexpected.Select(p => Describe(dependencies, p))));
    }

    [Fact]
    public void KnownTwoWayPairs_AreStillTwoWay()
    {
        var pairs = Dependencies.Value.TwoWayPairs();

        Assert.All(KnownTwoWayPairs.Keys, known => Assert.True(pairs.Contains(known), $"{known} no longer depend on each other: remove it from {nameof(KnownTwoWayPairs)}."));
    }

    [Fact]
    public void Analysis_SeesUnqualifiedUsesInIlAndUsingsInSource()
    {
        var dependencies = Dependencies.Value;

        // Distribution uses Access through `using Dockyard.Server.Access;`: seen in the IL and in the source.
        var examples = dependencies.ExamplesOf("Distribution", "Access");
        Assert.Contains(examples, e => e.StartsWith("Dockyard.Server.Distribution.", StringComparison.Ordinal) && e.Contains(" uses Dockyard.Server.Access.", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.StartsWith("Distribution/", StringComparison.Ordinal) && e.EndsWith(": Dockyard.Server.Access", StringComparison.Ordinal));

        // Edges the folders are built on are found, and none that cannot exist.
        Assert.True(dependencies.DependsOn("Api", "Accounts"));
        Assert.True(dependencies.DependsOn("Policies", "Data"));
        Assert.False(dependencies.DependsOn("Data", "Api"));
    }

    [Fact]
    public void TwoWayPairs_FolderUsingAnEdge_IsReported()
    {
        var dependencies = new FolderDependencies();
        dependencies.Add("Api", "Policies", "Api/RetentionEndpoints.cs: Dockyard.Server.Policies", fromSource: true);
        dependencies.Add("Policies", "Api", "Policies/RetentionService.cs: Dockyard.Server.Api", fromSource: true);
        dependencies.Add("Policies", "Data", "Dockyard.Server.Policies.RetentionService uses Dockyard.Server.Data.DockyardDbContext", fromSource: false);

        Assert.Equal(["Api↔Policies"], dependencies.TwoWayPairs());
    }

    private static string Describe(FolderDependencies dependencies, string pair)
    {
        var folders = pair.Split('↔');
        return $"  {pair}\n"
            + $"    {folders[0]} → {folders[1]}: {string.Join("; ", dependencies.ExamplesOf(folders[0], folders[1]))}\n"
            + $"    {folders[1]} → {folders[0]}: {string.Join("; ", dependencies.ExamplesOf(folders[1], folders[0]))}";
    }
}
