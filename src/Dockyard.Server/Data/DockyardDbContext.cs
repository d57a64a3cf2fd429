using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary>
/// The one EF Core model for every provider. Table and column names are snake_case and spelled out so
/// the few hand-written upserts in <see cref="EfRegistryIndex"/> run unchanged on SQLite and PostgreSQL.
/// </summary>
internal sealed class DockyardDbContext(DbContextOptions<DockyardDbContext> options) : DbContext(options)
{
    public DbSet<RepositoryEntity> Repositories => Set<RepositoryEntity>();

    public DbSet<BlobLinkEntity> BlobLinks => Set<BlobLinkEntity>();

    public DbSet<ManifestEntity> Manifests => Set<ManifestEntity>();

    public DbSet<ManifestReferenceEntity> ManifestReferences => Set<ManifestReferenceEntity>();

    public DbSet<TagEntity> Tags => Set<TagEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RepositoryEntity>(e =>
        {
            e.ToTable("repositories");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(255);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<BlobLinkEntity>(e =>
        {
            e.ToTable("blob_links");
            e.HasKey(x => new { x.Repository, x.Digest });
            e.Property(x => x.Repository).HasColumnName("repository").HasMaxLength(255);
            e.Property(x => x.Digest).HasColumnName("digest").HasMaxLength(135);
            e.Property(x => x.Size).HasColumnName("size");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => x.Digest);
        });

        modelBuilder.Entity<ManifestEntity>(e =>
        {
            e.ToTable("manifests");
            e.HasKey(x => new { x.Repository, x.Digest });
            e.Property(x => x.Repository).HasColumnName("repository").HasMaxLength(255);
            e.Property(x => x.Digest).HasColumnName("digest").HasMaxLength(135);
            e.Property(x => x.MediaType).HasColumnName("media_type").HasMaxLength(255);
            e.Property(x => x.Size).HasColumnName("size");
            e.Property(x => x.ArtifactType).HasColumnName("artifact_type").HasMaxLength(255);
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(135);
            e.Property(x => x.AnnotationsJson).HasColumnName("annotations");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => new { x.Repository, x.Subject });
        });

        modelBuilder.Entity<ManifestReferenceEntity>(e =>
        {
            e.ToTable("manifest_references");
            e.HasKey(x => new { x.Repository, x.ManifestDigest, x.ChildDigest });
            e.Property(x => x.Repository).HasColumnName("repository").HasMaxLength(255);
            e.Property(x => x.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(135);
            e.Property(x => x.ChildDigest).HasColumnName("child_digest").HasMaxLength(135);
            e.HasIndex(x => new { x.Repository, x.ChildDigest });
        });

        modelBuilder.Entity<TagEntity>(e =>
        {
            e.ToTable("tags");
            e.HasKey(x => new { x.Repository, x.Name });
            e.Property(x => x.Repository).HasColumnName("repository").HasMaxLength(255);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(128);
            e.Property(x => x.ManifestDigest).HasColumnName("manifest_digest").HasMaxLength(135);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.HasIndex(x => new { x.Repository, x.ManifestDigest });
        });
    }
}
