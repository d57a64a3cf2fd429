using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>Service accounts of an organization (CI and other machines); they act only through scoped tokens.</summary>
internal sealed class ServiceAccountService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time)
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

    public async Task<ServiceAccountEntity> CreateAsync(long organizationId, string name, string? description, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ServiceAccounts.AnyAsync(a => a.OrganizationId == organizationId && a.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"A service account named '{name}' already exists.");
        }

        var account = new ServiceAccountEntity { OrganizationId = organizationId, Name = name, Description = description, CreatedAt = time.GetUtcNow() };
        db.ServiceAccounts.Add(account);
        await UserService.SaveAsync(db, $"A service account named '{name}' already exists.", cancellationToken);
        return account;
    }

    /// <summary>Deactivates or reactivates (tokens of an inactive account stop working) and/or changes the description.</summary>
    public async Task<ServiceAccountEntity> UpdateAsync(long organizationId, string name, bool? isActive, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, organizationId, name, cancellationToken);
        account.IsActive = isActive ?? account.IsActive;
        if (description is not null)
        {
            account.Description = description.Length == 0 ? null : description;
        }

        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    public async Task DeleteAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, organizationId, name, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AccessTokens.Where(t => t.ServiceAccountId == account.Id).ExecuteDeleteAsync(cancellationToken);
        await db.ServiceAccounts.Where(a => a.Id == account.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<ServiceAccountEntity> FindAsync(DockyardDbContext db, long organizationId, string name, CancellationToken cancellationToken) =>
        await db.ServiceAccounts.FirstOrDefaultAsync(a => a.OrganizationId == organizationId && a.Name == name, cancellationToken)
        ?? throw DomainException.NotFound($"Service account '{name}' not found.");
}
