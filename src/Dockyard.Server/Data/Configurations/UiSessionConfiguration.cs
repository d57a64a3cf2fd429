using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class UiSessionConfiguration : IEntityTypeConfiguration<UiSessionEntity>
{
    public void Configure(EntityTypeBuilder<UiSessionEntity> builder)
    {
        builder.ToTable("ui_sessions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.SecretHash).HasMaxLength(64);
        builder.Property(x => x.AuthMethod).HasMaxLength(32);
        builder.Property(x => x.Address).HasMaxLength(64);
        builder.Property(x => x.UserAgent).HasMaxLength(256);
        builder.Property(x => x.EndReason).HasMaxLength(32);
        builder.HasIndex(x => x.SecretHash).IsUnique();
        builder.HasIndex(x => x.UserId);
        builder.HasIndex(x => x.LastSeenAt);
    }
}
