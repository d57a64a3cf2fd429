namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A tag immutability rule: tags matching <see cref="TagPattern"/> may be pushed once and never moved or deleted.
/// Exactly one of <see cref="OrganizationId"/> (every repository of the organization, optionally narrowed by
/// <see cref="RepositoryPattern"/>) and <see cref="Repository"/> is set.
/// </summary>
internal sealed class ImmutabilityRuleEntity
{
    public long Id { get; set; }

    public long? OrganizationId { get; set; }

    public string? Repository { get; set; }

    /// <summary>Glob over tag names (<c>*</c> is any run of characters): <c>v*</c>, <c>release-*</c>, <c>*</c>.</summary>
    public required string TagPattern { get; set; }

    /// <summary>For an organization rule, a repository glob (full name, <c>**</c> crosses slashes); null for all.</summary>
    public string? RepositoryPattern { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
