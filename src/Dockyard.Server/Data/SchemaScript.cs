namespace Dockyard.Server.Data;

/// <summary>
/// The SQL that creates every migration's schema on an empty database, history rows included: what
/// <c>dotnet ef migrations script --no-transactions</c> prints for the provider, embedded in the binary
/// (<c>Data/Migrations/&lt;Provider&gt;/schema.sql</c>). A test compares it with what EF Core generates from the
/// migrations, so a new migration without a regenerated script fails the build's tests.
/// </summary>
internal static class SchemaScript
{
    public static string For(DatabaseProvider provider)
    {
        var name = $"Dockyard.Schema.{provider}.sql";
        using var stream = typeof(SchemaScript).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from this build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
