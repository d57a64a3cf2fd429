using System.Globalization;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control;

/// <summary>
/// Collection grants (subject + built-in role + collection), for system administrators. Changes are authorized and
/// recorded here (<c>grant.create</c>, <c>grant.delete</c>), whoever calls. The authorizer reads the same table
/// (<see cref="StoredCollectionGrants"/>) on every decision, so a change applies at once on every replica.
/// Custom roles are not stored yet: a role must be a built-in one.
/// </summary>
internal sealed class CollectionGrantService(
    IDbContextFactory<DockyardDbContext> contexts,
    ControlDecisions decisions,
    AuditedOperations audited,
    TimeProvider time)
{
    private const string Manage = "manage collection grants";

    public async Task<IReadOnlyList<CollectionGrantView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        await decisions.RequireAdministratorAsync(caller.Principal, "view collection grants", cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.CollectionGrants.AsNoTracking().OrderBy(g => g.Id).ToListAsync(cancellationToken);
        var views = new List<CollectionGrantView>(rows.Count);
        foreach (var row in rows)
        {
            views.Add(new CollectionGrantView(row.Id, row.SubjectKind, row.SubjectId, await SubjectNameAsync(db, row, cancellationToken), row.Role, row.Collection, row.CreatedAt, row.CreatedBy));
        }

        return views;
    }

    public Task<CollectionGrantView> CreateAsync(Caller caller, NewCollectionGrant? grant, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.GrantCreate, "grants")
                .WithFields(("subjectKind", grant?.SubjectKind), ("subject", grant?.Subject), ("role", grant?.Role), ("collection", grant?.Collection)),
            token => decisions.AdministerAsync(caller.Principal, Manage, token),
            token => CreateAsync(grant ?? throw DomainException.Invalid("request", "Send a JSON body."), caller.Principal.Name, token),
            cancellationToken,
            resourceOf: created => "grants/" + created.Id.ToString(CultureInfo.InvariantCulture));

    public Task DeleteAsync(Caller caller, long id, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.GrantDelete, "grants/" + id.ToString(CultureInfo.InvariantCulture)),
            token => decisions.AdministerAsync(caller.Principal, Manage, token),
            async token =>
            {
                await using var db = await contexts.CreateDbContextAsync(token);
                if (await db.CollectionGrants.Where(g => g.Id == id).ExecuteDeleteAsync(token) == 0)
                {
                    throw DomainException.NotFound($"Grant {id} not found.");
                }
            },
            cancellationToken);

    private async Task<CollectionGrantView> CreateAsync(NewCollectionGrant grant, string createdBy, CancellationToken cancellationToken)
    {
        if (!CollectionSubjectKindNames.TryParse(grant.SubjectKind, out var kind))
        {
            throw DomainException.Invalid("subjectKind", $"Use one of: {string.Join(", ", CollectionSubjectKindNames.All)}.");
        }

        if (!CollectionRole.TryGetBuiltIn(grant.Role, out var role))
        {
            throw DomainException.Invalid("role", $"Use a built-in role: {string.Join(", ", CollectionRole.BuiltIn.Select(r => r.Name))}.");
        }

        if (!CollectionPath.TryParse(grant.Collection, out var collection))
        {
            throw DomainException.Invalid("collection", "Use an absolute collection path such as /orgs/acme/payments (components of letters, digits, '.', '_', '-').");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subjectId = await SubjectIdAsync(db, kind, grant.Subject, cancellationToken)
            ?? throw DomainException.Invalid("subject", $"No {CollectionSubjectKindNames.NameOf(kind)} named '{grant.Subject}'.");
        var kindName = CollectionSubjectKindNames.NameOf(kind);
        if (await db.CollectionGrants.AnyAsync(g => g.SubjectKind == kindName && g.SubjectId == subjectId && g.Role == role.Name && g.Collection == collection.Value, cancellationToken))
        {
            throw DomainException.Conflict($"{kindName} '{grant.Subject}' already holds {role.Name} on {collection}.");
        }

        var row = new CollectionGrantEntity
        {
            SubjectKind = kindName,
            SubjectId = subjectId,
            Role = role.Name,
            Collection = collection.Value,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.CollectionGrants.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw DomainException.Conflict($"{kindName} '{grant.Subject}' already holds {role.Name} on {collection}.");
        }

        return new CollectionGrantView(row.Id, row.SubjectKind, row.SubjectId, grant.Subject, row.Role, row.Collection, row.CreatedAt, row.CreatedBy);
    }

    /// <summary>Users and organizations by name; teams and service accounts as <c>organization/name</c>.</summary>
    private static async Task<long?> SubjectIdAsync(DockyardDbContext db, CollectionSubjectKind kind, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var (organization, member) = slash > 0 ? (name[..slash], name[(slash + 1)..]) : (name, string.Empty);
        return kind switch
        {
            CollectionSubjectKind.User => await db.Users.Where(u => u.Username == name).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken),
            CollectionSubjectKind.Organization => await db.Organizations.Where(o => o.Name == name).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken),
            CollectionSubjectKind.Team when member.Length > 0 => await (
                from t in db.Teams
                join o in db.Organizations on t.OrganizationId equals o.Id
                where o.Name == organization && t.Name == member
                select (long?)t.Id).FirstOrDefaultAsync(cancellationToken),
            CollectionSubjectKind.ServiceAccount when member.Length > 0 => await (
                from s in db.ServiceAccounts
                join o in db.Organizations on s.OrganizationId equals o.Id
                where o.Name == organization && s.Name == member
                select (long?)s.Id).FirstOrDefaultAsync(cancellationToken),
            _ => null,
        };
    }

    private static async Task<string?> SubjectNameAsync(DockyardDbContext db, CollectionGrantEntity row, CancellationToken cancellationToken) => row.SubjectKind switch
    {
        CollectionSubjectKindNames.User => await db.Users.Where(u => u.Id == row.SubjectId).Select(u => u.Username).FirstOrDefaultAsync(cancellationToken),
        CollectionSubjectKindNames.Organization => await db.Organizations.Where(o => o.Id == row.SubjectId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken),
        CollectionSubjectKindNames.Team => await (
            from t in db.Teams
            join o in db.Organizations on t.OrganizationId equals o.Id
            where t.Id == row.SubjectId
            select o.Name + "/" + t.Name).FirstOrDefaultAsync(cancellationToken),
        CollectionSubjectKindNames.ServiceAccount => await (
            from s in db.ServiceAccounts
            join o in db.Organizations on s.OrganizationId equals o.Id
            where s.Id == row.SubjectId
            select o.Name + "/" + s.Name).FirstOrDefaultAsync(cancellationToken),
        _ => null,
    };
}
