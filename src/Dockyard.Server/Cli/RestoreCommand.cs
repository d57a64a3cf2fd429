using System.CommandLine;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Backup;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard restore SRC --data DIR [--owner USER] [--audit-ids-after N]</c>: fills an empty (or absent) data
/// directory from a backup (<see cref="RestoreRunner"/>), records <c>system.restore</c> in a new audit id range
/// (<see cref="AuditIdRange"/>), runs fsck and audit verify, and gives everything to the owner: <c>--owner</c>, else
/// the owner of DIR when it exists, else the user running the verb (refused for root: the server must not find
/// root-owned files). An existing DIR is made 0700. Exit 0 restored and both checks clean, 1 restored but a check failed, 2 refused or failed.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        data.Required = true;
        var source = new Argument<string>("SRC") { Description = "A directory written by dockyard backup." };
        var owner = new Option<string>("--owner") { Description = "Account (NAME, UID or UID:GID) to own the restored files; default the owner of DIR." };
        var idsAfter = new Option<long?>("--audit-ids-after") { Description = "The highest audit id your SIEM holds: new entries continue after it (default: the next multiple of 2^32)." };
        var command = new Command("restore", "Restore a backup into an empty data directory, then check it (fsck, audit verify).") { source, owner, idsAfter, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var target = Path.GetFullPath(parse.GetValue(data)!);
            var from = Path.GetFullPath(parse.GetValue(source)!);
            (uint Uid, uint Gid) account;
            try
            {
                if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
                {
                    error.WriteLine($"error: {target} is not empty; restore only into an empty or absent data directory.");
                    return 2;
                }

                account = ResolveOwner(parse.GetValue(owner), target);
                if (Directory.Exists(target) && !OperatingSystem.IsWindows())
                {
                    // The data directory is private like everything in it (fsck checks it too).
                    File.SetUnixFileMode(target, PrivateFiles.DirectoryMode);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            int checks;
            try
            {
                var settings = new Dictionary<string, string?>();
                DataDirectoryOption.Apply(parse, data, settings);
                using (var host = DockyardApp.BuildTool(settings))
                {
                    var manifest = await ActivatorUtilities.CreateInstance<RestoreRunner>(host.Services).CopyAsync(from, error, cancellationToken);
                    await host.Services.GetRequiredService<DatabaseInitializer>().StartAsync(cancellationToken);
                    var id = await RecordAsync(host.Services, from, manifest, parse.GetValue(idsAfter), cancellationToken);
                    output.WriteLine($"restore: copied {manifest.Counts.Blobs} blobs, {manifest.Counts.Manifests} manifests, {manifest.Counts.Tags} tags into {target}; audit continues at id {id} (backup ended at {manifest.Counts.LastAuditId})");
                    checks = await CheckAsync(host.Services, output, error, cancellationToken);
                }

                SqliteConnection.ClearAllPools();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"error: restore failed: {ex.Message}");
                return 2;
            }

            if (account != (UnixAccounts.EffectiveUserId, UnixAccounts.EffectiveGroupId))
            {
                var count = UnixAccounts.ChownTree(target, account.Uid, account.Gid);
                output.WriteLine($"restore: {count} files and directories given to {account.Uid}:{account.Gid}");
            }

            return checks;
        });
        return command;
    }

    /// <summary>See the class remarks for the default.</summary>
    private static (uint Uid, uint Gid) ResolveOwner(string? owner, string target)
    {
        if (owner is { Length: > 0 })
        {
            return UnixAccounts.Resolve(owner);
        }

        if (Directory.Exists(target))
        {
            return UnixAccounts.OwnerOf(target);
        }

        return UnixAccounts.EffectiveUserId == 0
            ? throw new InvalidOperationException($"{target} does not exist and no --owner was given: name the account the server runs as (--owner dockyard), or create {target} owned by it.")
            : (UnixAccounts.EffectiveUserId, UnixAccounts.EffectiveGroupId);
    }

    private static async Task<long> RecordAsync(IServiceProvider services, string source, BackupManifest manifest, long? idsAfter, CancellationToken cancellationToken)
    {
        long last;
        await using (var db = await services.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            last = await db.AuditEntries.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        }

        var caller = Caller.System.With("via", "cli");
        var action = new AuditedAction(AuditActions.SystemRestore, "system/restore").WithFields(
            ("source", source), ("backupTime", manifest.Time), ("blobs", manifest.Counts.Blobs), ("bytes", manifest.Counts.Bytes),
            (AuditIdRange.AfterIdField, last), ("idRule", idsAfter is { } known ? $"after --audit-ids-after {known}" : "next multiple of 2^32"));
        var auditEvent = new AuditEvent { Action = action.Action, Resource = action.Resource, Details = AuditDetails.Of(action, caller) };
        return await services.GetRequiredService<AuditTrail>().RecordOpeningRangeAsync(
            auditEvent,
            caller.Context,
            current => current == last ? AuditIdRange.RestoreEntryId(last, idsAfter) : throw new InvalidOperationException("The restored audit trail changed while it was restored."),
            cancellationToken);
    }

    /// <summary>fsck (with digests) and audit verify; 0 when both are clean, else 1.</summary>
    private static async Task<int> CheckAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<IntegrityChecker>().CheckAsync(
            new IntegrityCheckRequest { VerifyDigests = true, OnProblem = problem => output.WriteLine($"problem: {problem}") },
            cancellationToken);
        var problems = report.Problems.Count + FsckCommand.ReportOpenFiles(services, output);
        var counts = $"{report.Tags} tags, {report.Manifests} manifests, {report.Blobs} blobs, {report.BytesVerified} bytes verified";
        output.WriteLine(problems == 0 ? $"restore: fsck: clean ({counts})" : $"restore: fsck: {problems} problems ({counts})");

        var audit = await services.GetRequiredService<AuditVerifier>().VerifyAsync(progress: null, cancellationToken);
        output.WriteLine(audit.Ok
            ? $"restore: audit verify: audit trail OK: {audit.Checked} entries, head {audit.LastId} {audit.LastHash}"
            : $"restore: audit verify: audit trail BROKEN at entry {audit.BrokenId}: {audit.Reason}");
        error.WriteLine(problems == 0 && audit.Ok ? "restore: done" : "restore: done, but a check failed (see above)");
        return problems == 0 && audit.Ok ? 0 : 1;
    }
}
