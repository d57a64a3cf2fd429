using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class RepositoryPermissionConfiguration : IEntityTypeConfiguration<RepositoryPermissionEntity>
{
    public void Configure(EntityTypeBuilder<RepositoryPermissionEntity> builder)
    {
        builder.ToTable("repository_permissions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.HasIndex(x => new { x.Repository, x.SubjectKind, x.SubjectId }).IsUnique();
        builder.HasIndex(x => new { x.SubjectKind, x.SubjectId });
    }
}
