using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class TrustKeyConfiguration : IEntityTypeConfiguration<TrustKeyEntity>
{
    public void Configure(EntityTypeBuilder<TrustKeyEntity> builder)
    {
        builder.ToTable("trust_keys");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Name).HasMaxLength(64);
        builder.Property(x => x.Algorithm).HasMaxLength(16);
        builder.Property(x => x.Fingerprint).HasMaxLength(71);
        builder.Property(x => x.PublicKeyPem).HasMaxLength(4096);
        builder.Property(x => x.PrivateKey).HasMaxLength(4096);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.Property(x => x.RevokedBy).HasMaxLength(255);
        builder.Property(x => x.RevocationReason).HasMaxLength(500);
        builder.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
        builder.HasIndex(x => x.Fingerprint).IsUnique();
        builder.HasIndex(x => x.TeamId);
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TeamEntity>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
