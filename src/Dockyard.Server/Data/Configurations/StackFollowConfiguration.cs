using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class StackFollowConfiguration : IEntityTypeConfiguration<StackFollowEntity>
{
    public void Configure(EntityTypeBuilder<StackFollowEntity> builder)
    {
        builder.ToTable("stack_follows");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Service).HasMaxLength(64);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Tag).HasMaxLength(128);

        // A tag push looks up the stacks following it.
        builder.HasIndex(x => new { x.Repository, x.Tag });
        builder.HasIndex(x => x.StackId);
        builder.HasOne<StackEntity>().WithMany().HasForeignKey(x => x.StackId).OnDelete(DeleteBehavior.Cascade);
    }
}
