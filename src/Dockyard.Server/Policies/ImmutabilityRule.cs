namespace Dockyard.Server.Policies;

/// <summary>An immutability rule as the write path sees it (from <see cref="PolicySnapshot"/>).</summary>
internal sealed record ImmutabilityRule(long Id, PolicyScope Scope, string TagPattern, string? RepositoryPattern)
{
    public bool Applies(string repository, string tag) =>
        TagPatterns.Matches(TagPattern, tag) && (RepositoryPattern is null || Access.RepositoryPattern.Matches(RepositoryPattern, repository));
}
