using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class RepositoryConfiguration : IEntityTypeConfiguration<RepositoryEntity>
{
    public void Configure(EntityTypeBuilder<RepositoryEntity> builder)
    {
        builder.ToTable("repositories");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(255);

        // The access rules' "or public" term (RepositoryAccessRules.Pull): with an index every term of the list
        // predicate is an index lookup, so a user's repository list costs what they can see, not the whole table.
        builder.HasIndex(x => x.Visibility);
    }
}
