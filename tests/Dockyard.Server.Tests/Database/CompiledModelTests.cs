using System.Text;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Database;

/// <summary>
/// The server runs on EF Core compiled models (Data/CompiledModels, generated: start-up skips building the model
/// from the entity configurations). A compiled model that no longer matches the configurations would silently map
/// the old schema, so these tests compare it with the model built from code, and that model with the migrations'
/// snapshot. Neither needs a database connection. Likewise the embedded schema script that start-up runs on an empty
/// database (Data/Migrations/&lt;Provider&gt;/schema.sql) is compared with what the migrations generate.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate =
        "regenerate it: cd src/Dockyard.Server && dotnet ef dbcontext optimize --context {0} " +
        "--output-dir Data/CompiledModels/{1} --namespace Dockyard.Server.Data.CompiledModels.{1}";

    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Compiled_model_is_in_use_and_matches_the_model_built_from_the_entity_configurations(string provider)
    {
        using var db = Create(provider);
        var compiled = db.Model;
        var fromCode = db.GetService<IDesignTimeModel>().Model;

        Assert.NotSame(compiled, fromCode);
        Assert.Equal(provider == "Sqlite" ? typeof(Server.Data.CompiledModels.Sqlite.SqliteDockyardDbContextModel) : typeof(Server.Data.CompiledModels.Postgres.PostgresDockyardDbContextModel), compiled.GetType());
        var expected = Describe(fromCode);
        var actual = Describe(compiled);
        Assert.True(expected == actual, $"The compiled model of {db.GetType().Name} is stale; {string.Format(Regenerate, db.GetType().Name, provider)}\n{FirstDifference(expected, actual)}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_snapshot_matches_the_model_built_from_the_entity_configurations(string provider)
    {
        using var db = Create(provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"The model has changes no migration of {db.GetType().Name} captures: add a migration (docs/architecture.md).");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Embedded_schema_script_is_what_the_migrations_generate(string provider)
    {
        // Start-up creates an empty database's schema with this script instead of running the migrations one by one.
        using var db = Create(provider);
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.NoTransactions);

        Assert.True(
            Normalize(generated) == Normalize(SchemaScript.For(Enum.Parse<DatabaseProvider>(provider))),
            $"Data/Migrations/{provider}/schema.sql is stale; regenerate it: cd src/Dockyard.Server && dotnet ef migrations script " +
            $"--context {db.GetType().Name} --no-transactions -o Data/Migrations/{provider}/schema.sql");
    }

    [Fact]
    public async Task Schema_from_the_script_equals_the_schema_from_the_migrations_one_by_one()
    {
        var scripted = await SqliteSchemaAsync(progress: null);
        var stepwise = await SqliteSchemaAsync(new Progress<MigrationStep>());

        Assert.Equal(stepwise, scripted);
        Assert.Contains("CREATE TABLE \"tags\"", scripted, StringComparison.Ordinal);
    }

    /// <summary>The tables, indexes and history rows of a new SQLite database migrated with or without progress.</summary>
    private static async Task<string> SqliteSchemaAsync(IProgress<MigrationStep>? progress)
    {
        var directory = Directory.CreateTempSubdirectory("dockyard-schema-");
        try
        {
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton(Options.Create(new DataDirectoryOptions { Path = directory.FullName }));
            services.AddSingleton(Options.Create(new DatabaseOptions()));
            services.AddDockyardData();
            await using var provider = services.BuildServiceProvider();
            var applied = await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(progress, CancellationToken.None);
            Assert.NotEmpty(applied);

            await using var db = await provider.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
            var schema = await db.Database.SqlQueryRaw<string>(
                "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS \"Value\" FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsLock' ORDER BY name").ToListAsync();
            var history = await db.Database.SqlQueryRaw<string>(
                "SELECT \"MigrationId\" || ' ' || \"ProductVersion\" AS \"Value\" FROM \"__EFMigrationsHistory\" ORDER BY 1").ToListAsync();
            return string.Join('\n', schema.Concat(history));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static string Normalize(string script) => script.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().TrimStart('\uFEFF');

    [Fact]
    public void Description_sees_a_changed_column()
    {
        // The comparison must be able to fail: two models that differ in one column's length describe differently.
        using var db = Create("Sqlite");
        Assert.NotEqual(Describe(WidgetModel(db, maxLength: 10)), Describe(WidgetModel(db, maxLength: 11)));
    }

    private static IModel WidgetModel(DbContext db, int maxLength)
    {
        var builder = SqliteConventionSetBuilder.CreateModelBuilder();
        builder.Entity<Widget>().Property(w => w.Name).HasMaxLength(maxLength);
        return db.GetService<IModelRuntimeInitializer>().Initialize(builder.FinalizeModel(), designTime: true, validationLogger: null);
    }

    private static DockyardDbContext Create(string provider)
    {
        if (provider == "Sqlite")
        {
            var sqlite = new DbContextOptionsBuilder<SqliteDockyardDbContext>();
            DataServiceCollectionExtensions.ConfigureSqlite(sqlite, new DatabaseOptions(), new DataDirectoryOptions { Path = Path.GetTempPath() });
            return new SqliteDockyardDbContext(sqlite.Options);
        }

        var postgres = new DbContextOptionsBuilder<PostgresDockyardDbContext>();
        DataServiceCollectionExtensions.ConfigurePostgres(postgres, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=127.0.0.1;Database=unused" });
        return new PostgresDockyardDbContext(postgres.Options);
    }

    /// <summary>What the runtime maps: tables, columns (type, nullability, length, converter), keys, indexes, foreign keys.</summary>
    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"entity {entity.Name} table {entity.GetTableName()} schema {entity.GetSchema()}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.AppendLine(
                    $"  property {property.Name} {property.ClrType} column {property.GetColumnName()} nullable {property.IsNullable} " +
                    $"max {property.GetMaxLength()} type {property.GetColumnType()} converter {property.GetValueConverter()?.GetType()} " +
                    $"generated {property.ValueGenerated} concurrency {property.IsConcurrencyToken}");
            }

            foreach (var key in entity.GetKeys().OrderBy(k => string.Join(",", k.Properties.Select(p => p.Name)), StringComparer.Ordinal))
            {
                text.AppendLine($"  key {string.Join(",", key.Properties.Select(p => p.Name))} primary {key.IsPrimaryKey()}");
            }

            foreach (var index in entity.GetIndexes().OrderBy(i => i.GetDatabaseName(), StringComparer.Ordinal))
            {
                text.AppendLine($"  index {index.GetDatabaseName()} {string.Join(",", index.Properties.Select(p => p.Name))} unique {index.IsUnique} filter {index.GetFilter()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys().OrderBy(f => f.GetConstraintName(), StringComparer.Ordinal))
            {
                text.AppendLine($"  fk {foreignKey.GetConstraintName()} {string.Join(",", foreignKey.Properties.Select(p => p.Name))} -> {foreignKey.PrincipalEntityType.Name} delete {foreignKey.DeleteBehavior}");
            }
        }

        return text.ToString();
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "(end)";
            var right = i < a.Length ? a[i] : "(end)";
            if (left != right)
            {
                return $"from code: {left}\ncompiled:  {right}";
            }
        }

        return "";
    }

    private sealed class Widget
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";
    }
}
