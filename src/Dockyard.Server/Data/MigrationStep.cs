namespace Dockyard.Server.Data;

/// <summary>Progress of <see cref="DatabaseMigrator.MigrateAsync"/>: <see cref="Elapsed"/> is null when the step starts.</summary>
internal readonly record struct MigrationStep(string Migration, int Number, int Count, TimeSpan? Elapsed);
