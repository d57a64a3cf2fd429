using System.CommandLine;
using Dockyard.Registry.Maintenance;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard reindex [--data DIR]</c>: rebuilds the metadata index (repositories, manifests, tags, blob links)
/// from blob storage. Prints progress per repository; exits 1 when some links could not be restored.
/// </summary>
internal static class ReindexCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var command = new Command("reindex", "Rebuild the metadata index from blob storage.") { data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);

            var output = parse.InvocationConfiguration.Output;
            var progress = new SynchronousProgress<ReindexProgress>(p =>
                output.WriteLine($"reindex: {p.Repositories} repositories, {p.Manifests} manifests, {p.Tags} tags, {p.Blobs} blob links, {p.Problems} problems ({p.CurrentRepository})"));
            var result = await host.Services.GetRequiredService<IndexRebuilder>().RebuildAsync(progress, cancellationToken);
            output.WriteLine($"reindex done: {result.Repositories} repositories, {result.Manifests} manifests, {result.Tags} tags, {result.Blobs} blob links, {result.Problems} problems");
            return result.Problems == 0 ? 0 : 1;
        });
        return command;
    }
}
