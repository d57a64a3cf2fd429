using System.CommandLine;
using System.Globalization;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard fsck [--repository NAME] [--no-verify-digests] [--data DIR]</c>: checks that every tag resolves, every
/// manifest's body, blobs and children exist, every blob's bytes hash to its digest, storage links agree with the
/// index, and nothing under the data directory (nor the key file) is open to group or others (key material, the
/// database and blobs must be private: docs/security.md); a directory under it that cannot be read is a problem too.
/// Problems go to standard output one per line, progress to standard error. Exit 0 clean, 1 problems found, 2 the
/// check itself failed (also when there is no data directory or database there: fsck creates nothing).
/// </summary>
internal static class FsckCommand
{
    private const int MaxListedOpenFiles = 100;

    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var repository = new Option<string>("--repository") { Description = "Check only this repository." };
        var noVerify = new Option<bool>("--no-verify-digests") { Description = "Fast mode: check existence and sizes, do not re-hash blob contents." };
        var command = new Command("fsck", "Check the registry's consistency: tags, manifests, blobs (re-hashed), storage links and file modes.") { repository, noVerify, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            RepositoryName? only = null;
            if (parse.GetValue(repository) is { } name)
            {
                if (!RepositoryName.TryParse(name, out var parsed))
                {
                    error.WriteLine($"error: '{name}' is not a valid repository name.");
                    return 2;
                }

                only = parsed;
            }

            try
            {
                using var host = await DataDirectoryOption.OpenAsync(parse, data, DataDirectoryAccess.Existing, cancellationToken);
                var report = await host.Services.GetRequiredService<IntegrityChecker>().CheckAsync(
                    new IntegrityCheckRequest
                    {
                        Repository = only,
                        VerifyDigests = !parse.GetValue(noVerify),
                        Progress = new SynchronousProgress<IntegrityProgress>(p =>
                            error.WriteLine($"fsck: {p.Phase}: {p.Items} checked, {Mebibytes(p.BytesVerified)} verified ({Mebibytes((long)p.BytesPerSecond)}/s), {p.Problems} problems")),
                        OnProblem = problem => output.WriteLine($"problem: {problem}"),
                    },
                    cancellationToken);
                error.WriteLine("fsck: file modes");
                var open = ReportOpenFiles(host.Services, output);
                var problems = report.Problems.Count + open;
                var counts = $"{report.Tags} tags, {report.Manifests} manifests, {report.Blobs} blobs, {report.BytesVerified} bytes verified";
                output.WriteLine(problems == 0 ? $"fsck: clean ({counts})" : $"fsck: {problems} problems ({counts})");
                return problems == 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or DataRefusedException))
            {
                error.WriteLine($"error: fsck failed: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>
    /// Reports each file or directory under the data directory, and the key file wherever it is, that group or others
    /// may access (the first <see cref="MaxListedOpenFiles"/> by name, then their number), and each directory under it
    /// that could not be read; returns how many problems there are.
    /// </summary>
    internal static int ReportOpenFiles(IServiceProvider services, TextWriter output)
    {
        var data = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.FullPath;
        var keyFile = services.GetRequiredService<SecretKeyFile>().Path;
        var unreadable = 0;
        var open = PrivateFiles.GroupOrOtherAccessibleUnder(data, (path, reason) =>
        {
            // What it holds went unchecked: never "clean".
            unreadable++;
            output.WriteLine($"problem: {path} could not be read ({reason})");
        });
        if (!keyFile.StartsWith(Path.TrimEndingDirectorySeparator(data) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && PrivateFiles.IsGroupOrOtherAccessible(keyFile, out var keyMode))
        {
            open = open.Append((keyFile, keyMode));
        }

        var count = 0;
        foreach (var (path, mode) in open)
        {
            if (++count <= MaxListedOpenFiles)
            {
                output.WriteLine($"problem: {path} is accessible to other local accounts (mode {mode}); make it private (chmod go=)");
            }
        }

        if (count > MaxListedOpenFiles)
        {
            output.WriteLine($"problem: {count - MaxListedOpenFiles} more files or directories are accessible to other local accounts (chmod -R go= {data})");
        }

        return count + unreadable;
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
