using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Control.Events;
using Dockyard.Server.Control.Stacks.Status;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/stacks/{name}/tasks</c>, <c>/events</c> and <c>/stats</c>: a stack's tasks with their nodes, the stored
/// engine events of its objects (the event search with <c>stack=</c>, as the caller may see them), and its live CPU/memory
/// summed over its running task containers with a per-service breakdown (Server-Sent Events with
/// <c>Accept: text/event-stream</c>, else one JSON sum). All need <c>StackView</c> in the collection of the stack's
/// services (<see cref="StackStatusService"/>): a hidden stack is 404.
/// </summary>
internal static class StackStatusEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var stacks = api.MapGroup("/stacks").WithTags("Stacks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        stacks.MapGet("/{name}/tasks", TasksAsync).WithName("ListStackTasks")
            .WithSummary("The stack's tasks (running first): service, slot, node id and hostname, desired and current state, message, error (e.g. the scheduler's reason), container, image.")
            .Produces<StackTaskList>();
        stacks.MapGet("/{name}/events", EventsAsync).WithName("ListStackEvents")
            .WithSummary("The engine events of the stack's services, containers, networks, secrets and configs, newest first, as GET /events?stack= shows them to the caller (StackView on the stack first): since/until, type, action, limit (≤ 500), before (the previous page's next cursor).");
        stacks.MapGet("/{name}/stats", StatsAsync).WithName("GetStackStats")
            .WithSummary("The stack's live CPU (percent of one CPU) and memory in use, summed over its running task containers on every node, per service too, with warnings for what is not counted: one JSON sum, or Server-Sent Events of sums about once a second with Accept: text/event-stream (event 'end' when the stack is removed).")
            .Produces<StackStatsView>(StatusCodes.Status200OK, "application/json", "text/event-stream");
    }

    private static async Task<IResult> TasksAsync(string name, HttpContext context, StackStatusService status, CancellationToken cancellationToken) =>
        Results.Ok(await status.GetTasksAsync(context.GetPrincipal(), name, cancellationToken));

    private static async Task<IResult> EventsAsync(
        string name, HttpContext context, StackStatusService status, EventSearch search, string? since, string? until, string? type, string? action, int? limit, string? before,
        CancellationToken cancellationToken)
    {
        var filter = EventFilter.Parse(since, until, type, action, null, null, null, limit, before, name);
        var principal = context.GetPrincipal();
        await status.AuthorizeAsync(principal, name, cancellationToken);
        return Results.Ok(await search.SearchAsync(principal, filter, cancellationToken));
    }

    /// <summary>The stats answer, also for the UI's cookie-session stream (<c>Ui/Stacks/StackUiEndpoints</c>).</summary>
    internal static async Task<IResult> StatsAsync(string name, HttpContext context, StackStatusService status)
    {
        var aborted = context.RequestAborted;
        if (!ServerSentEventWriter.IsRequested(context.Request))
        {
            return Results.Ok(await status.GetStatsSampleAsync(context.GetPrincipal(), name, aborted));
        }

        using var subscription = await status.SubscribeStatsAsync(context.GetPrincipal(), name, aborted);
        ServerSentEventWriter.Start(context.Response);
        using var sse = new ServerSentEventWriter(context.Response);
        sse.Comment("open"u8);
        try
        {
            if (!await sse.FlushAsync(aborted))
            {
                return Results.Empty;
            }

            await foreach (var sample in subscription.Samples.ReadAllAsync(aborted))
            {
                JsonSerializer.Serialize(sse.BeginEvent(default), sample.View, ApiJsonContext.Default.StackStatsView);
                sse.EndEvent();
                if (!await sse.FlushAsync(aborted))
                {
                    return Results.Empty;
                }
            }

            var end = subscription.End;
            var json = sse.BeginEvent("end"u8);
            json.WriteStartObject();
            json.WriteString("reason"u8, end?.Reason ?? "stopped");
            if (end?.Message is { } message)
            {
                json.WriteString("message"u8, message);
            }

            json.WriteEndObject();
            sse.EndEvent();
            await sse.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The viewer left.
        }

        return Results.Empty;
    }
}
