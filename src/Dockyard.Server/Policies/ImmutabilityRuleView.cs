using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Policies;

/// <summary>An immutability rule as the API and the UI show it.</summary>
internal sealed record ImmutabilityRuleView(long Id, string? Repository, string TagPattern, string? RepositoryPattern, string? CreatedBy, DateTimeOffset CreatedAt)
{
    public static ImmutabilityRuleView From(ImmutabilityRuleEntity rule) =>
        new(rule.Id, rule.Repository, rule.TagPattern, rule.RepositoryPattern, rule.CreatedBy, rule.CreatedAt);
}
