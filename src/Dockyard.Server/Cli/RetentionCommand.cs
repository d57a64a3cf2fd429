using System.CommandLine;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard retention run [--dry-run] [--repository NAME | --organization ORG] [--data DIR]</c>: applies the
/// retention policies now (or, with <c>--dry-run</c>, lists what would be deleted and why). Progress per repository
/// goes to standard error, the plan to standard output; exit 1 when some deletes failed. The deletes' events are
/// recorded in the database's outbox with each delete; the server (when it runs, else once it starts) turns them into
/// webhook deliveries.
/// </summary>
internal static class RetentionCommand
{
    public static Command Create() => new("retention", "Apply repository retention policies.") { Run() };

    private static Command Run()
    {
        var data = DataDirectoryOption.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be deleted and why." };
        var repository = new Option<string>("--repository") { Description = "Only this repository." };
        var organization = new Option<string>("--organization") { Description = "Only the repositories of this organization." };
        var run = new Command("run", "Run retention now.") { data, dryRun, repository, organization };
        run.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, parse.GetValue(dryRun) ? DataDirectoryAccess.Existing : DataDirectoryAccess.Write, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var request = new RetentionRunRequest(parse.GetValue(dryRun), parse.GetValue(repository), parse.GetValue(organization));
            var progress = new SynchronousProgress<RetentionProgress>(p =>
                error.WriteLine($"retention: {p.Repositories}/{p.Total} repositories, {p.Planned} planned, {p.Deleted} deleted, {p.Failed} failed ({p.Repository})"));
            var result = await host.Services.GetRequiredService<RetentionService>().RunAsync(Caller.System.With("via", "cli"), request, progress, cancellationToken);
            foreach (var plan in result.Plans)
            {
                foreach (var deletion in plan.Deletions)
                {
                    var what = deletion.Kind == RetentionDeletionKind.Tag ? $"tag {deletion.Tags[0]}" : $"manifest {deletion.Digest}" + (deletion.Tags.Count > 0 ? $" (tags {string.Join(", ", deletion.Tags)})" : string.Empty);
                    output.WriteLine($"{(result.DryRun ? "would delete" : "delete")} {plan.Repository} {what}: {deletion.Reason}");
                }
            }

            foreach (var failure in result.Errors)
            {
                error.WriteLine($"retention: failed {failure}");
            }

            // The host is not running, so hand the in-memory events (none for deletes, which are in the outbox) over here.
            await DrainEventsAsync(host.Services, cancellationToken);
            output.WriteLine($"retention {(result.DryRun ? "dry run" : "done")}: {result.Plans.Count} repositories with a policy, {result.Planned} deletes planned, {result.Deleted} done, {result.Failed} failed");
            return result.Failed == 0 ? 0 : 1;
        });
        return run;
    }

    private static async Task DrainEventsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var sink = services.GetRequiredService<ChannelRegistryEventSink>();
        var consumers = services.GetServices<IRegistryEventConsumer>().ToList();
        while (sink.Reader.TryRead(out var published))
        {
            foreach (var consumer in consumers)
            {
                await consumer.HandleAsync(published, cancellationToken);
            }
        }
    }
}
