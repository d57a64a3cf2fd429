using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessTokenEntity>
{
    public void Configure(EntityTypeBuilder<AccessTokenEntity> builder)
    {
        builder.ToTable("access_tokens");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Name).HasMaxLength(128);
        builder.Property(x => x.Prefix).HasMaxLength(32);
        builder.Property(x => x.SecretHash).HasMaxLength(64);
        builder.HasIndex(x => x.Prefix).IsUnique();
        builder.HasIndex(x => x.UserId);
        builder.HasIndex(x => x.ServiceAccountId);
    }
}
