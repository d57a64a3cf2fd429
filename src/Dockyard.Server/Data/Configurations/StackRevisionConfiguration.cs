using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class StackRevisionConfiguration : IEntityTypeConfiguration<StackRevisionEntity>
{
    public void Configure(EntityTypeBuilder<StackRevisionEntity> builder)
    {
        builder.ToTable("stack_revisions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Version).HasMaxLength(128);
        builder.Property(x => x.Description).HasMaxLength(2000);
        builder.Property(x => x.SourceUrl).HasMaxLength(2048);
        builder.Property(x => x.SourceRevision).HasMaxLength(255);
        builder.Property(x => x.Note).HasMaxLength(1000);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => new { x.StackId, x.Number }).IsUnique();

        // Revisions are the stack's history: they go with it.
        builder.HasOne<StackEntity>().WithMany().HasForeignKey(x => x.StackId).OnDelete(DeleteBehavior.Cascade);
    }
}
