using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace Dockyard.Server.Tests.Database;

/// <summary>
/// The server runs on EF Core compiled models (Data/CompiledModels, generated: start-up skips building the model
/// from the entity configurations). A compiled model that no longer matches the configurations would silently map
/// the old schema, so these tests compare it with the model built from code, and that model with the migrations'
/// snapshot. Neither needs a database connection.
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
