using System.CommandLine;
using Dockyard.Server.Backup;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard backup DEST [--gc-wait DURATION] [--data DIR]</c>: an online backup into DEST (created 0700; a DEST
/// holding an earlier backup is brought up to date, copying only blobs it lacks). Progress on standard error, one
/// summary line on standard output. Exit 0 done, 2 failed (DEST then has no backup.json: not a usable backup).
/// See <see cref="BackupRunner"/>.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var destination = new Argument<string>("DEST") { Description = "Backup directory (outside the data directory)." };
        var gcWait = new Option<string>("--gc-wait") { Description = "How long to wait for a running garbage collection to finish (default 15m)." };
        var command = new Command("backup", "Back up the database, the blobs it references, the keys and the configuration, while the server runs.") { destination, gcWait, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var wait = TimeSpan.FromMinutes(15);
            if (parse.GetValue(gcWait) is { } waitText && !DurationParser.TryParse(waitText, out wait))
            {
                error.WriteLine($"error: --gc-wait '{waitText}' is not a duration (90s, 30m, 2h, 1d or d.hh:mm:ss).");
                return 2;
            }

            try
            {
                using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
                var runner = ActivatorUtilities.CreateInstance<BackupRunner>(host.Services);
                var result = await runner.RunAsync(parse.GetValue(destination)!, wait, error, cancellationToken);
                var counts = result.Manifest.Counts;
                output.WriteLine(
                    $"backup: complete in {result.Destination}: {counts.Blobs} blobs ({BackupRunner.Mebibytes(counts.Bytes)}; {result.BlobsCopied} copied now, {BackupRunner.Mebibytes(result.BytesCopied)}), " +
                    $"{counts.Repositories} repositories, {counts.Manifests} manifests, {counts.Tags} tags, audit entries through {counts.LastAuditId}" +
                    (result.Manifest.BlobsIncluded ? string.Empty : "; blobs listed only: copy the bucket with your tool (docs/operations.md)"));
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"error: backup failed: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
