using System.CommandLine;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Jobs;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard gc [--dry-run] [--delete-untagged] [--grace DURATION] [--data DIR]</c>: one garbage collection now.
/// Safe while the server runs on the same data (the protocol lives in the database). Prints progress per batch and,
/// for a dry run, each item it would delete; exits 0 when done, 2 on error or when another collection holds the lease. A dry run
/// needs an existing data directory and database (it creates nothing).
/// </summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be deleted (and the bytes) without deleting." };
        var deleteUntagged = new Option<bool>("--delete-untagged") { Description = "Also delete untagged manifests no index references (older than Dockyard:GarbageCollection:UntaggedMinimumAge)." };
        var grace = new Option<string>("--grace") { Description = "Keep anything uploaded or referenced within this period (90s, 30m, 2h, 1d; default Dockyard:GarbageCollection:Grace)." };
        var command = new Command("gc", "Delete blobs and manifests nothing references (online: pushes may continue).") { dryRun, deleteUntagged, grace, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            TimeSpan? graceValue = null;
            if (parse.GetValue(grace) is { } graceText)
            {
                if (!DurationParser.TryParse(graceText, out var parsed))
                {
                    error.WriteLine($"error: --grace '{graceText}' is not a duration (90s, 30m, 2h, 1d or d.hh:mm:ss).");
                    return 2;
                }

                graceValue = parsed;
            }

            try
            {
                var isDryRun = parse.GetValue(dryRun);
                using var host = await DataDirectoryOption.OpenAsync(parse, data, isDryRun ? DataDirectoryAccess.Existing : DataDirectoryAccess.Write, cancellationToken);
                var request = new GarbageCollectionRequest
                {
                    DryRun = isDryRun,
                    DeleteUntaggedManifests = parse.GetValue(deleteUntagged) ? true : null,
                    Grace = graceValue,
                    Progress = new SynchronousProgress<GarbageCollectionProgress>(p =>
                        error.WriteLine($"gc: {p.Phase.ToString().ToLowerInvariant()}: {p.Manifests} manifests, {p.Links} links, {p.Blobs} blobs, {p.Bytes} bytes")),
                    OnCollected = isDryRun ? item => output.WriteLine(Describe(item)) : null,
                };
                var result = await host.Services.GetRequiredService<GarbageCollectionRunner>().RunAsync(request, Caller.System.With("via", "cli"), cancellationToken);
                if (result is null)
                {
                    error.WriteLine("error: another garbage collection is running.");
                    return 2;
                }

                var verb = result.DryRun ? "gc dry run: would delete" : "gc done: deleted";
                output.WriteLine($"{verb} {result.ManifestsDeleted} manifests, {result.LinksDeleted} links, {result.BlobsDeleted} blobs, reclaiming {result.ReclaimedBytes} bytes in {result.Duration.TotalSeconds:0.0} s"
                    + (result.Deferred > 0 ? $" ({result.Deferred} blobs deferred to the next run)" : string.Empty));
                foreach (var warning in result.Warnings)
                {
                    error.WriteLine("gc: warning: " + warning);
                }

                return 0;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or DataRefusedException))
            {
                error.WriteLine($"error: garbage collection failed: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string Describe(CollectedItem item) => item.Kind switch
    {
        CollectedKind.Manifest => $"would delete manifest {item.Repository!.Value.Value}@{item.Digest.Value}",
        CollectedKind.Link => $"would unlink {item.Digest.Value} from {item.Repository!.Value.Value}",
        _ => $"would delete blob {item.Digest.Value} ({item.Size} bytes)",
    };
}
