namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A control-plane grant: <see cref="SubjectKind"/> <see cref="SubjectId"/> holds the role <see cref="Role"/> on the
/// collection <see cref="Collection"/> and everything below it. The subject is polymorphic (no foreign key): ids are
/// never reused on either provider, so a grant whose subject was deleted reaches nobody.
/// </summary>
internal sealed class CollectionGrantEntity
{
    public long Id { get; set; }

    /// <summary><c>user</c>, <c>team</c>, <c>organization</c> or <c>service-account</c>.</summary>
    public required string SubjectKind { get; set; }

    public long SubjectId { get; set; }

    /// <summary>A built-in role's name (<c>view-only</c>, <c>restricted-control</c>, <c>scheduler</c>, <c>full-control</c>, <c>none</c>).</summary>
    public required string Role { get; set; }

    /// <summary>The collection path, e.g. <c>/orgs/acme/payments</c>.</summary>
    public required string Collection { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}
