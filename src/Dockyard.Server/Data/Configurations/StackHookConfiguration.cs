using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class StackHookConfiguration : IEntityTypeConfiguration<StackHookEntity>
{
    public void Configure(EntityTypeBuilder<StackHookEntity> builder)
    {
        builder.ToTable("stack_hooks");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.TokenHash).HasMaxLength(32);
        builder.Property(x => x.TokenPrefix).HasMaxLength(8);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.StackId);
        builder.HasOne<StackEntity>().WithMany().HasForeignKey(x => x.StackId).OnDelete(DeleteBehavior.Cascade);
    }
}
