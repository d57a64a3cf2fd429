using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class EngineEventConfiguration : IEntityTypeConfiguration<EngineEventEntity>
{
    public void Configure(EntityTypeBuilder<EngineEventEntity> builder)
    {
        builder.ToTable("engine_events");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Engine).HasMaxLength(64);
        builder.Property(x => x.NodeId).HasMaxLength(64);
        builder.Property(x => x.Type).HasMaxLength(32);
        builder.Property(x => x.Action).HasMaxLength(64);
        builder.Property(x => x.Detail).HasMaxLength(512);
        builder.Property(x => x.ActorId).HasMaxLength(256);
        builder.Property(x => x.ActorName).HasMaxLength(256);
        builder.Property(x => x.Scope).HasMaxLength(16);
        builder.Property(x => x.Collection).HasMaxLength(255);
        builder.Property(x => x.UserName).HasMaxLength(256);
        builder.Property(x => x.DedupKey).HasMaxLength(64);
        builder.Property(x => x.Stack).HasMaxLength(255);

        // Search pages newest first by (time_nano, id); every filter has an index that ends in that order, so a
        // filtered page is an index range read backwards, not a scan. (time_nano, id) alone serves unfiltered pages
        // and the retention prune; (engine, time_nano) the consumer's "last event of this engine".
        builder.HasIndex(x => x.DedupKey).IsUnique();
        builder.HasIndex(x => new { x.TimeNano, x.Id });
        builder.HasIndex(x => new { x.Engine, x.TimeNano });
        builder.HasIndex(x => new { x.Type, x.Action, x.TimeNano });
        builder.HasIndex(x => new { x.NodeId, x.TimeNano });
        builder.HasIndex(x => new { x.ActorId, x.TimeNano });
        builder.HasIndex(x => new { x.ActorName, x.TimeNano });
        builder.HasIndex(x => new { x.UserName, x.TimeNano });
        builder.HasIndex(x => new { x.Collection, x.TimeNano });
        builder.HasIndex(x => new { x.Stack, x.TimeNano, x.Id });
    }
}
