using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

/// <summary>
/// The full-text indexes over these columns are written by hand in the <c>Search</c> migration: SQLite's FTS5 table
/// <c>search_fts</c> (external content, triggers) and PostgreSQL's generated <c>document</c> tsvector with a GIN index.
/// </summary>
internal sealed class SearchDocumentConfiguration : IEntityTypeConfiguration<SearchDocumentEntity>
{
    public void Configure(EntityTypeBuilder<SearchDocumentEntity> builder)
    {
        builder.ToTable("search_documents");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Organization).HasMaxLength(255);
        builder.Property(x => x.Platforms).HasMaxLength(1024);
        builder.Property(x => x.RecentTags).HasMaxLength(2048);
        builder.HasIndex(x => x.Repository).IsUnique();
        builder.HasIndex(x => x.Organization);

        // Filter-only searches (no words) list by last push.
        builder.HasIndex(x => x.LastPushedAt);
    }
}
