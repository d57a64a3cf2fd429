using System.CommandLine;
using System.Globalization;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard migrate [--list] [--data DIR]</c>: applies the pending schema migrations of the configured database
/// provider (<c>Dockyard:Database:*</c>), one line per migration; <c>--list</c> only shows which are applied and
/// which pending, and marks those applied by a newer Dockyard "unknown (newer than this build)"; it reads only (a
/// missing data directory or database is an error). Exit 0 on success, 1 on failure (the failing migration's
/// transaction is rolled back), 2 when the data is refused (a schema newer than this build: nothing is applied).
/// </summary>
internal static class MigrateCommand
{
    /// <summary>How <c>--list</c> marks an applied migration this build does not have (a newer Dockyard applied it).</summary>
    public const string UnknownLabel = "unknown (newer than this build)";

    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var list = new Option<bool>("--list") { Description = "Show applied and pending migrations without applying any." };
        var command = new Command("migrate", "Apply pending database schema migrations (Dockyard:Database:Provider).") { list, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            DataDirectoryOption.Apply(parse, data, settings);
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var listOnly = parse.GetValue(list);
                using var host = DockyardApp.BuildTool(settings, listOnly ? DataDirectoryAccess.Existing : DataDirectoryAccess.Write);
                var migrator = host.Services.GetRequiredService<DatabaseMigrator>();
                var status = await migrator.GetStatusAsync(cancellationToken);
                if (listOnly)
                {
                    output.WriteLine($"database: {status.Provider}");
                    foreach (var migration in status.Applied)
                    {
                        output.WriteLine(status.Unknown.Contains(migration) ? $"{UnknownLabel}  {migration}" : $"applied  {migration}");
                    }

                    status.Pending.ToList().ForEach(m => output.WriteLine($"pending  {m}"));
                    output.WriteLine($"{status.Applied.Count - status.Unknown.Count} applied, {status.Pending.Count} pending"
                        + (status.Unknown.Count > 0 ? $", {status.Unknown.Count} unknown (newer than this build)" : string.Empty));
                    return 0;
                }

                if (migrator.RefuseNewer(status) is { } newer)
                {
                    throw newer;
                }

                if (status.Pending.Count == 0)
                {
                    output.WriteLine($"migrate: schema is current ({status.Applied.Count} migrations applied, {status.Provider})");
                    return 0;
                }

                var progress = new SynchronousProgress<MigrationStep>(step => output.WriteLine(step.Elapsed is { } elapsed
                    ? string.Create(CultureInfo.InvariantCulture, $"migrate: [{step.Number}/{step.Count}] {step.Migration} applied in {elapsed.TotalMilliseconds:F0} ms")
                    : $"migrate: [{step.Number}/{step.Count}] applying {step.Migration}"));
                var applied = await migrator.MigrateAsync(progress, cancellationToken);
                output.WriteLine($"migrate done: {applied.Count} migrations applied ({status.Provider})");
                return 0;
            }
            catch (Exception failure) when (failure is not (OperationCanceledException or DataRefusedException))
            {
                // One line, no stack trace: the cause is usually a connection string or a permission.
                error.WriteLine($"migrate failed: {failure.GetBaseException().Message}");
                return 1;
            }
        });
        return command;
    }
}
