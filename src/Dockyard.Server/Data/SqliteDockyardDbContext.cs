using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary>The model on SQLite; owns the migration set in <c>Data/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteDockyardDbContext(DbContextOptions<SqliteDockyardDbContext> options) : DockyardDbContext(options);
