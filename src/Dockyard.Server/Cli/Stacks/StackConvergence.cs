using System.Globalization;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// Follows a deployed stack (GET /api/v1/stacks/{name} every poll interval) until every service runs as many tasks as
/// it wants and no update is in progress, printing one plain line per service whenever its state changes. A paused
/// update, or one that rolled back while we watched, is a failure; so is running out of time, which prints the tasks
/// that are not running with the scheduler's reason.
/// </summary>
internal sealed class StackConvergence(StackApiClient client, StackCliEnvironment environment, TextWriter progress, ILogger logger)
{
    private static readonly HashSet<string> InProgress = new(StringComparer.Ordinal) { "updating", "rollback_started" };
    private static readonly HashSet<string> Failed = new(StringComparer.Ordinal) { "paused", "rollback_paused", "rollback_completed" };

    /// <summary>True when the stack converged within <paramref name="wait"/>.</summary>
    public async Task<bool> WaitAsync(string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        var time = environment.Time;
        var deadline = time.GetUtcNow() + wait;
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        var seenStates = new Dictionary<string, string?>(StringComparer.Ordinal);
        StackDetailWire? last = null;
        while (true)
        {
            StackDetailWire? detail = null;
            try
            {
                detail = await client.GetAsync(name, cancellationToken);
                if (detail is null)
                {
                    progress.WriteLine($"{name}: the stack is gone");
                    return false;
                }
            }
            catch (Exception e) when (e is HttpRequestException or StackApiException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                StackCliLog.PollFailed(logger, name, e.Message);
            }

            if (detail is not null)
            {
                last = detail;
                var outcome = Report(detail, printed, seenStates);
                if (outcome is not null)
                {
                    return outcome.Value;
                }
            }

            if (time.GetUtcNow() >= deadline)
            {
                await ReportTimeoutAsync(name, wait, last, cancellationToken);
                return false;
            }

            await Task.Delay(environment.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Prints what changed; true when converged, false on a failed update, null to keep waiting.</summary>
    private bool? Report(StackDetailWire detail, Dictionary<string, string> printed, Dictionary<string, string?> seenStates)
    {
        var converged = true;
        foreach (var service in detail.Services ?? [])
        {
            var key = service.ShortName ?? service.Name ?? "?";
            var line = Describe(key, service);
            if (!printed.TryGetValue(key, out var before) || before != line)
            {
                progress.WriteLine(line);
                printed[key] = line;
            }

            var state = service.UpdateState;
            var changed = seenStates.TryGetValue(key, out var previous) && previous != state;
            seenStates[key] = state;
            if (state is not null && Failed.Contains(state) && changed)
            {
                progress.WriteLine($"{key}: the update failed ({state})" + (service.UpdateMessage is { Length: > 0 } message ? $": {message}" : string.Empty));
                return false;
            }

            converged &= (service.RunningTasks ?? 0) == (service.DesiredTasks ?? 0) && (state is null || !InProgress.Contains(state));
        }

        return converged ? true : null;
    }

    private static string Describe(string name, StackServiceWire service)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{name}: {service.RunningTasks ?? 0}/{service.DesiredTasks ?? 0} running");
        return service.UpdateState is { Length: > 0 } state && state != "completed" ? $"{line}, update {state}" : line;
    }

    private async Task ReportTimeoutAsync(string name, TimeSpan wait, StackDetailWire? last, CancellationToken cancellationToken)
    {
        var waiting = (last?.Services ?? []).Where(s => (s.RunningTasks ?? 0) != (s.DesiredTasks ?? 0) || (s.UpdateState is { } state && InProgress.Contains(state)))
            .Select(s => s.ShortName ?? s.Name).ToList();
        progress.WriteLine($"{name}: not converged after {wait.TotalSeconds:0.#} s" + (waiting.Count > 0 ? $" (waiting for {string.Join(", ", waiting)})" : string.Empty));
        try
        {
            var (tasks, _) = await client.TasksAsync(name, cancellationToken);
            foreach (var task in (tasks.Items ?? []).Where(t => t.DesiredState == "running" && t.State != "running"))
            {
                var reason = task.Error is { Length: > 0 } error ? error : task.Message;
                progress.WriteLine($"  {StackOutput.TaskName(task)}: {task.State}" + (reason is { Length: > 0 } ? $": {reason}" : string.Empty));
            }
        }
        catch (Exception e) when (e is HttpRequestException or StackApiException)
        {
            StackCliLog.PollFailed(logger, name, e.Message);
        }
    }
}
