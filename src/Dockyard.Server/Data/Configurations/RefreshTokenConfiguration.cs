using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshTokenEntity>
{
    public void Configure(EntityTypeBuilder<RefreshTokenEntity> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Prefix).HasMaxLength(32);
        builder.Property(x => x.SecretHash).HasMaxLength(64);
        builder.Property(x => x.ClientId).HasMaxLength(128);
        builder.HasIndex(x => x.Prefix).IsUnique();
        builder.HasIndex(x => x.UserId);
    }
}
