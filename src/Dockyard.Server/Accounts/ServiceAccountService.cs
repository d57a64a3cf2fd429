using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Service accounts of an organization (CI and other machines); they act only through scoped tokens (managed by
/// <see cref="AccessTokenManager"/>). Every change takes the <see cref="Caller"/>, is authorized here (owners and
/// system administrators: <see cref="OrganizationAccessRules"/>) and recorded here (<see cref="AuditedOperations"/>)
/// under the account's API path (<c>orgs/acme/service-accounts/ci</c>), whichever entry point called.
/// </summary>
internal sealed class ServiceAccountService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, OrganizationAccessRules rules, AuditedOperations audited)
{
    public async Task<IReadOnlyList<ServiceAccountEntity>> ListAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ServiceAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId).OrderBy(a => a.Name).ToListAsync(cancellationToken);
    }

    public async Task<ServiceAccountEntity> GetAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, organizationId, name, cancellationToken);
    }

    public Task<ServiceAccountEntity> CreateAsync(Caller caller, string organization, string name, string? description, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.ServiceAccountCreate, OrganizationService.Item($"orgs/{organization}/service-accounts", name)) { Organization = organization }
                .WithFields(("name", name), ("description", description)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => CreateAsync(organization, name, description, token),
            cancellationToken,
            created => $"orgs/{organization}/service-accounts/{created.Name}");

    private async Task<ServiceAccountEntity> CreateAsync(string organization, string name, string? description, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        if (await db.ServiceAccounts.AnyAsync(a => a.OrganizationId == organizationId && a.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"A service account named '{name}' already exists.");
        }

        var account = new ServiceAccountEntity { OrganizationId = organizationId, Name = name, Description = description, CreatedAt = time.GetUtcNow() };
        db.ServiceAccounts.Add(account);
        await UserService.SaveAsync(db, $"A service account named '{name}' already exists.", cancellationToken);
        return account;
    }

    /// <summary>
    /// Deactivates or reactivates and/or changes the description. Deactivation revokes the account's access tokens for
    /// good (recorded in <c>revokedAt</c>); reactivation restores none of them: the owners create new ones.
    /// </summary>
    public Task<ServiceAccountEntity> UpdateAsync(Caller caller, string organization, string name, bool? isActive, string? description, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.ServiceAccountUpdate, $"orgs/{organization}/service-accounts/{name}") { Organization = organization }
                .WithFields(("isActive", isActive), ("description", description)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => UpdateAsync(organization, name, isActive, description, token),
            cancellationToken);

    private async Task<ServiceAccountEntity> UpdateAsync(string organization, string name, bool? isActive, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        var account = await FindAsync(db, organizationId, name, cancellationToken);
        if (description is not null)
        {
            account.Description = description.Length == 0 ? null : description;
        }

        if (isActive is { } active && active != account.IsActive)
        {
            account.IsActive = active;
            if (!active)
            {
                // Revoked for good (recorded), as a user's are: reactivating the account brings none of them back.
                var now = time.GetUtcNow();
                await db.AccessTokens.Where(t => t.ServiceAccountId == account.Id && t.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    /// <summary>Deletes a service account and its tokens.</summary>
    public Task DeleteAsync(Caller caller, string organization, string name, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.ServiceAccountDelete, $"orgs/{organization}/service-accounts/{name}") { Organization = organization },
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => DeleteAsync(organization, name, token),
            cancellationToken);

    private async Task DeleteAsync(string organization, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        var account = await FindAsync(db, organizationId, name, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AccessTokens.Where(t => t.ServiceAccountId == account.Id).ExecuteDeleteAsync(cancellationToken);
        await db.ServiceAccounts.Where(a => a.Id == account.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The id of service account <paramref name="name"/> of <paramref name="organization"/>; not found otherwise.</summary>
    internal static async Task<long> IdAsync(DockyardDbContext db, string organization, string name, CancellationToken cancellationToken)
    {
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        return (await FindAsync(db, organizationId, name, cancellationToken)).Id;
    }

    private static async Task<ServiceAccountEntity> FindAsync(DockyardDbContext db, long organizationId, string name, CancellationToken cancellationToken) =>
        await db.ServiceAccounts.FirstOrDefaultAsync(a => a.OrganizationId == organizationId && a.Name == name, cancellationToken)
        ?? throw DomainException.NotFound($"Service account '{name}' not found.");
}
