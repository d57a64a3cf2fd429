using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottleEntity>
{
    public void Configure(EntityTypeBuilder<LoginThrottleEntity> builder)
    {
        builder.ToTable("login_throttles");
        builder.HasKey(x => x.Key);
        builder.Property(x => x.Key).HasMaxLength(320);
    }
}
