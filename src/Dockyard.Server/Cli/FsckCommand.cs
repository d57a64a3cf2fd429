using System.CommandLine;
using System.Globalization;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard fsck [--repository NAME] [--no-verify-digests] [--data DIR]</c>: checks that every tag resolves, every
/// manifest's body, blobs and children exist, every blob's bytes hash to its digest, and storage links agree with the
/// index. Problems go to standard output one per line, progress to standard error. Exit 0 clean, 1 problems found,
/// 2 the check itself failed.
/// </summary>
internal static class FsckCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var repository = new Option<string>("--repository") { Description = "Check only this repository." };
        var noVerify = new Option<bool>("--no-verify-digests") { Description = "Fast mode: check existence and sizes, do not re-hash blob contents." };
        var command = new Command("fsck", "Check the registry's consistency: tags, manifests, blobs (re-hashed) and storage links.") { repository, noVerify, data };
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
                using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
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
                var counts = $"{report.Tags} tags, {report.Manifests} manifests, {report.Blobs} blobs, {report.BytesVerified} bytes verified";
                output.WriteLine(report.IsClean ? $"fsck: clean ({counts})" : $"fsck: {report.Problems.Count} problems ({counts})");
                return report.IsClean ? 0 : 1;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error.WriteLine($"error: fsck failed: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
