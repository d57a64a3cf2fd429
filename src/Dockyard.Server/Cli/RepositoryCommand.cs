using System.CommandLine;
using Dockyard.Registry;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard repository delete NAME [--yes] [--data DIR]</c>: deletes a repository with its tags, manifests, grants,
/// webhooks and policies, as the system (whoever runs this owns the data directory), recorded as
/// <c>repository.delete</c>; safe while the server runs on the same data. Asks for the name to be typed again unless
/// <c>--yes</c>; progress and questions go to standard error. Blobs only it held go at the next <c>dockyard gc</c>.
/// Exits 0 when deleted, 1 when refused (no such repository, an immutable tag), 2 on a usage error or no confirmation.
/// </summary>
internal static class RepositoryCommand
{
    public static Command Create(TextReader? input = null)
    {
        var name = new Argument<string>("name") { Description = "Repository name, e.g. acme/app." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var data = DataDirectoryOption.Create();
        var delete = new Command("delete", "Delete a repository with its tags, manifests, grants, webhooks and policies (blobs go at the next gc).") { name, yes, data };
        delete.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var repository = parse.GetValue(name)!;
            if (!RepositoryName.TryParse(repository, out _))
            {
                error.WriteLine($"error: '{repository}' is not a repository name: {RepositoryService.NameRule}");
                return 2;
            }

            if (!parse.GetValue(yes))
            {
                error.Write($"This deletes '{repository}' with its tags, manifests, grants, webhooks and policies. Type its name to confirm: ");
                var typed = await (input ?? Console.In).ReadLineAsync(cancellationToken);
                if (!string.Equals(typed?.Trim(), repository, StringComparison.Ordinal))
                {
                    error.WriteLine("error: the name was not confirmed; nothing deleted.");
                    return 2;
                }
            }

            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            try
            {
                error.WriteLine($"repository delete: deleting '{repository}'");
                var removal = await host.Services.GetRequiredService<RepositoryService>().DeleteAsync(Caller.System.With("via", "cli"), repository, cancellationToken);
                output.WriteLine($"Deleted '{removal.Repository}' ({removal.Tags} tags, {removal.Manifests} manifests). Run 'dockyard gc' to reclaim the blobs only it held.");
                return 0;
            }
            catch (DomainException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return new Command("repository", "Repository administration on the data directory.") { delete };
    }
}
