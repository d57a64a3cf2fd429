using Dockyard.Registry;

namespace Dockyard.Server.Policies;

/// <summary>Every immutability rule and storage quota, loaded at once: the write path answers from this, never from the database.</summary>
internal sealed class PolicySnapshot(
    IReadOnlyDictionary<string, IReadOnlyList<ImmutabilityRule>> rulesByOrganization,
    IReadOnlyDictionary<string, IReadOnlyList<ImmutabilityRule>> rulesByRepository,
    IReadOnlyDictionary<string, long> quotaByOrganization)
{
    public static readonly PolicySnapshot Empty = new(
        new Dictionary<string, IReadOnlyList<ImmutabilityRule>>(),
        new Dictionary<string, IReadOnlyList<ImmutabilityRule>>(),
        new Dictionary<string, long>());

    /// <summary>The first rule (repository rules before organization rules, then by id) that makes the tag immutable.</summary>
    public ImmutabilityRule? FindImmutability(RepositoryName repository, string tag)
    {
        if (rulesByRepository.TryGetValue(repository.Value, out var own) && own.FirstOrDefault(r => r.Applies(repository.Value, tag)) is { } rule)
        {
            return rule;
        }

        return rulesByOrganization.TryGetValue(repository.Namespace, out var inherited)
            ? inherited.FirstOrDefault(r => r.Applies(repository.Value, tag))
            : null;
    }

    public long? QuotaOf(string organization) => quotaByOrganization.TryGetValue(organization, out var limit) ? limit : null;
}
