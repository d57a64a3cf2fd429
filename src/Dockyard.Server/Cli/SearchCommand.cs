using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dockyard.Server.Cli.Stacks;
using Dockyard.Server.Data;
using Dockyard.Server.Search;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard search [QUERY] [--org O] [--label K=V] [--arch A] [--since T] [--signed true|false] [--limit N]</c>:
/// asks a Dockyard server (<c>--server</c> / <c>DOCKYARD_SERVER</c>, token from <c>--token-file</c> /
/// <c>DOCKYARD_TOKEN</c>, as <c>dockyard sign</c>) for <c>GET /api/v1/search</c> and prints one line per repository.
/// <c>--json</c> prints the server's answer unchanged. Exit codes: 0 (also when nothing matched), 1 refused or
/// failed, 2 usage. And <c>dockyard search-index rebuild [--data DIR]</c>, which rebuilds the index from the database
/// and storage of a data directory (<see cref="CreateIndexCommand"/>).
/// </summary>
internal static class SearchCommand
{
    public static Command Create(StackCliEnvironment? environment = null)
    {
        var env = environment ?? StackCliEnvironment.Default;
        var remote = new RemoteOptions();
        var query = new Argument<string?>("QUERY") { Description = "Words to find (each a prefix; all must match) in names, descriptions, tags, labels, annotations, platforms and base images.", Arity = ArgumentArity.ZeroOrOne };
        var org = new Option<string?>("--org") { Description = "Only this organization's (or user's) repositories." };
        var label = new Option<string?>("--label") { Description = "Only images with this label, as key=value." };
        var arch = new Option<string?>("--arch") { Description = "Only images for this architecture (amd64, arm64, …)." };
        var since = new Option<string?>("--since") { Description = "Only repositories pushed to since this date or time (ISO 8601)." };
        var signed = new Option<string?>("--signed") { Description = "true: only repositories with a signed tagged image; false: only without." };
        var limit = new Option<int?>("--limit") { Description = "At most this many results (1–100, default 20)." };
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer." };
        var command = new Command("search", "Search the repositories you may pull on a Dockyard server.") { query, org, label, arch, since, signed, limit, json };
        remote.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var parameters = new List<(string, string?)>
            {
                ("q", parse.GetValue(query)), ("org", parse.GetValue(org)), ("label", parse.GetValue(label)), ("arch", parse.GetValue(arch)),
                ("since", parse.GetValue(since)), ("signed", parse.GetValue(signed)), ("limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture)),
            };
            var path = "api/v1/search?" + string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
            return await RunAsync(parse, remote, env, path, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    /// <summary><c>dockyard search-index rebuild</c>: re-derives every repository's search row (for repair; a new installation and an upgraded one build it by themselves).</summary>
    public static Command CreateIndexCommand()
    {
        var data = DataDirectoryOption.Create();
        var rebuild = new Command("rebuild", "Rebuild the search index from the database and storage (searches keep working meanwhile).") { data };
        rebuild.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            var services = host.Services;
            var count = await SearchIndexBootstrap.RebuildAsync(
                services.GetRequiredService<IDbContextFactory<DockyardDbContext>>(), services.GetRequiredService<SearchIndexer>(), TimeProvider.System, cancellationToken);
            parse.InvocationConfiguration.Output.WriteLine($"Search index rebuilt: {count} repositories.");
            return 0;
        });
        return new Command("search-index", "The search index.") { rebuild };
    }

    /// <summary>The server, token, connection and failure handling of the stack verbs; a 400 (bad search) is a usage error.</summary>
    private static Task<int> RunAsync(ParseResult parse, RemoteOptions remote, StackCliEnvironment environment, string path, bool json, CancellationToken cancellationToken) =>
        StackCommand.RunAsync(parse, remote, environment, async (context, ct) =>
        {
            string text;
            try
            {
                text = await context.Client.GetTextAsync(path, ct);
            }
            catch (StackApiException e) when (e.Status == HttpStatusCode.BadRequest)
            {
                foreach (var line in StackOutput.DescribeFailure(e))
                {
                    context.Error.WriteLine(line);
                }

                return StackCommand.Usage;
            }

            if (json)
            {
                context.Output.WriteLine(text);
                return StackCommand.Ok;
            }

            try
            {
                return Print(text, context.Output, context.Error);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                context.Error.WriteLine($"error: the server's answer is not what this CLI understands ({e.Message}).");
                return StackCommand.Failed;
            }
        }, cancellationToken);

    private static int Print(string text, TextWriter output, TextWriter error)
    {
        using var document = JsonDocument.Parse(text);
        var items = document.RootElement.GetProperty("items");
        if (items.GetArrayLength() == 0)
        {
            error.WriteLine("No repositories found.");
            return StackCommand.Ok;
        }

        TextTable.Write(output, ["REPOSITORY", "TAGS", "PLATFORMS", "PUSHED", "SIGNED"], items.EnumerateArray().Select(Row));
        if (document.RootElement.GetProperty("hasMore").GetBoolean())
        {
            error.WriteLine("More results: raise --limit or narrow the search.");
        }

        return StackCommand.Ok;
    }

    private static IReadOnlyList<string> Row(JsonElement item)
    {
        var tags = item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Take(3).ToList();
        var more = item.GetProperty("tagCount").GetInt32() - tags.Count;
        var pushed = item.GetProperty("lastPushedAt") is { ValueKind: JsonValueKind.String } at
            ? at.GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
        return
        [
            item.GetProperty("repository").GetString() ?? string.Empty,
            string.Join(", ", tags) + (more > 0 ? $" (+{more})" : string.Empty),
            string.Join(", ", item.GetProperty("platforms").EnumerateArray().Select(p => p.GetString())),
            pushed,
            item.GetProperty("signed").GetBoolean() ? "yes" : "no",
        ];
    }
}
