using System.CommandLine;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard audit verify [--data DIR]</c>: walks the hash chain; exit 0 with the count, or 1 naming the first
/// broken entry. <c>dockyard audit export --format csv|jsonl [--from T] [--to T] [--actor A] [--action A]
/// [--repository R] [--outcome O] [--output FILE] [--data DIR]</c>: streams entries to FILE (created 0600) or standard
/// output.
/// Progress goes to standard error. Both only read: a missing data directory or database is an error (exit 2), never created.
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Verify and export the audit trail.") { Verify(), Export() };

    private static Command Verify()
    {
        var data = DataDirectoryOption.Create();
        var verify = new Command("verify", "Check the audit trail's hash chain and report the first broken entry.") { data };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, DataDirectoryAccess.Existing, cancellationToken);
            var error = parse.InvocationConfiguration.Error;
            var progress = new SynchronousProgress<long>(n => error.WriteLine($"audit verify: {n} entries checked"));
            var result = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync(progress, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (result.Ok)
            {
                output.WriteLine($"audit trail OK: {result.Checked} entries" + (result.LastId is { } id ? $", head {id} {result.LastHash}" : string.Empty));
                return 0;
            }

            output.WriteLine($"audit trail BROKEN at entry {result.BrokenId}: {result.Reason} ({result.Checked} entries before it verified)");
            return 1;
        });
        return verify;
    }

    private static Command Export()
    {
        var data = DataDirectoryOption.Create();
        var format = new Option<string>("--format") { Description = "csv or jsonl.", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only entries at or after this time (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only entries before this time (ISO 8601)." };
        var actor = new Option<string>("--actor") { Description = "Only entries by this actor name." };
        var action = new Option<string>("--action") { Description = "Only this action, or a prefix ending in * or '.'." };
        var repository = new Option<string>("--repository") { Description = "Only entries about this repository." };
        var outcome = new Option<string>("--outcome") { Description = "success, denied or failed." };
        var outputFile = new Option<string>("--output") { Description = "Write to this file instead of standard output." };
        var export = new Command("export", "Stream audit entries as CSV or JSON Lines.") { format, from, to, actor, action, repository, outcome, outputFile, data };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!Enum.TryParse<AuditExportFormat>(parse.GetValue(format), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                error.WriteLine("error: --format must be csv or jsonl.");
                return 2;
            }

            using var host = await DataDirectoryOption.OpenAsync(parse, data, DataDirectoryAccess.Existing, cancellationToken);
            var filter = new AuditFilter
            {
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Actor = parse.GetValue(actor),
                Action = parse.GetValue(action),
                Repository = parse.GetValue(repository),
                Outcome = parse.GetValue(outcome),
            };
            var path = parse.GetValue(outputFile);
            // The export holds who did what from where: a new file is created 0600 whatever the umask.
            await using var stream = string.IsNullOrEmpty(path)
                ? Console.OpenStandardOutput()
                : new FileStream(path, PrivateFiles.Options(FileMode.Create, FileAccess.Write, FileShare.None));
            var progress = new SynchronousProgress<long>(n =>
            {
                if (n % 10_000 == 0 && n > 0)
                {
                    error.WriteLine($"audit export: {n} entries");
                }
            });
            var count = await host.Services.GetRequiredService<AuditExporter>().ExportAsync(filter, parsed, stream, progress, cancellationToken);
            error.WriteLine($"audit export done: {count} entries");
            return 0;
        });
        return export;
    }
}
