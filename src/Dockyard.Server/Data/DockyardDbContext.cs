using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Dockyard.Server.Data;

/// <summary>
/// The one EF Core model for every provider. Tables are named in the entity configurations
/// (<c>Configurations/</c>); columns get snake_case names by convention here, and every
/// <see cref="DateTimeOffset"/> is stored as UTC ticks (a plain integer sorts and compares the same way on
/// SQLite and PostgreSQL), so the few hand-written upserts in <see cref="EfRegistryIndex"/> are portable.
/// Each provider has a derived context (<see cref="SqliteDockyardDbContext"/>, <see cref="PostgresDockyardDbContext"/>)
/// only so that each gets its own migration set; code depends on this type through
/// <c>IDbContextFactory&lt;DockyardDbContext&gt;</c>.
/// </summary>
internal abstract class DockyardDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<RepositoryEntity> Repositories => Set<RepositoryEntity>();

    public DbSet<BlobLinkEntity> BlobLinks => Set<BlobLinkEntity>();

    public DbSet<BlobEntity> Blobs => Set<BlobEntity>();

    public DbSet<ManifestEntity> Manifests => Set<ManifestEntity>();

    public DbSet<ManifestReferenceEntity> ManifestReferences => Set<ManifestReferenceEntity>();

    public DbSet<TagEntity> Tags => Set<TagEntity>();

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<OrganizationEntity> Organizations => Set<OrganizationEntity>();

    public DbSet<OrganizationMemberEntity> OrganizationMembers => Set<OrganizationMemberEntity>();

    public DbSet<TeamEntity> Teams => Set<TeamEntity>();

    public DbSet<TeamMemberEntity> TeamMembers => Set<TeamMemberEntity>();

    public DbSet<RepositoryPermissionEntity> RepositoryPermissions => Set<RepositoryPermissionEntity>();

    public DbSet<ServiceAccountEntity> ServiceAccounts => Set<ServiceAccountEntity>();

    public DbSet<AccessTokenEntity> AccessTokens => Set<AccessTokenEntity>();

    public DbSet<RefreshTokenEntity> RefreshTokens => Set<RefreshTokenEntity>();

    public DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();

    public DbSet<LoginThrottleEntity> LoginThrottles => Set<LoginThrottleEntity>();

    public DbSet<SettingEntity> Settings => Set<SettingEntity>();

    public DbSet<WebhookEntity> Webhooks => Set<WebhookEntity>();

    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();

    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

    /// <summary>
    /// True when <see cref="LockAsync"/> takes a lock that every process sharing the database honours (PostgreSQL).
    /// SQLite needs none: its write transactions already exclude each other across processes.
    /// </summary>
    public virtual bool HasSharedLocks => false;

    /// <summary>
    /// Takes an exclusive lock on each of <paramref name="keys"/> for the rest of the current transaction, shared by all
    /// replicas (PostgreSQL's <c>pg_advisory_xact_lock</c>); a no-op where <see cref="HasSharedLocks"/> is false.
    /// Several keys are locked in the order given: callers pass them in one global order to rule out deadlocks.
    /// </summary>
    public virtual Task LockAsync(ReadOnlyMemory<long> keys, CancellationToken cancellationToken) => Task.CompletedTask;

    public DbSet<ImmutabilityRuleEntity> ImmutabilityRules => Set<ImmutabilityRuleEntity>();

    public DbSet<RetentionPolicyEntity> RetentionPolicies => Set<RetentionPolicyEntity>();

    public DbSet<LeaseEntity> Leases => Set<LeaseEntity>();

    public DbSet<UiSessionEntity> UiSessions => Set<UiSessionEntity>();

    public DbSet<EngineEntity> Engines => Set<EngineEntity>();

    public DbSet<CollectionGrantEntity> CollectionGrants => Set<CollectionGrantEntity>();

    public DbSet<EngineEventEntity> EngineEvents => Set<EngineEventEntity>();

    public DbSet<EngineEventLeaseEntity> EngineEventLeases => Set<EngineEventLeaseEntity>();

    public DbSet<StackEntity> Stacks => Set<StackEntity>();

    public DbSet<StackRevisionEntity> StackRevisions => Set<StackRevisionEntity>();

    public DbSet<StackFollowEntity> StackFollows => Set<StackFollowEntity>();

    public DbSet<StackHookEntity> StackHooks => Set<StackHookEntity>();

    public DbSet<TrustKeyEntity> TrustKeys => Set<TrustKeyEntity>();

    public DbSet<TrustPolicyEntity> TrustPolicies => Set<TrustPolicyEntity>();

    public DbSet<TrustPolicyTeamEntity> TrustPolicyTeams => Set<TrustPolicyTeamEntity>();

    public DbSet<DeliveryCursorEntity> DeliveryCursors => Set<DeliveryCursorEntity>();

    public DbSet<RegistryOutboxEntity> RegistryOutbox => Set<RegistryOutboxEntity>();

    public DbSet<SearchDocumentEntity> SearchDocuments => Set<SearchDocumentEntity>();

    public DbSet<SearchImageEntity> SearchImages => Set<SearchImageEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<AccountSource>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RepositoryRole>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RepositoryVisibility>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<PermissionSubject>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DockyardDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // Explicit names in the configurations win over the convention.
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
