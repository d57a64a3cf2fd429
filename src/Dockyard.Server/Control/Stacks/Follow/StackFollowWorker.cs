using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// The one consumer of <see cref="StackWorkQueue"/>: runs the items one after another through
/// <see cref="StackFollowRunner"/>, off any request. An item that throws is logged and recorded as a failed entry
/// (the error's type only), and the worker goes on with the next one.
/// </summary>
internal sealed partial class StackFollowWorker(
    StackWorkQueue queue,
    StackFollowRunner runner,
    AuditTrail trail,
    ILogger<StackFollowWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            StackWork work;
            try
            {
                work = await queue.ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await runner.RunAsync(work, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogFailed(error, work.Key);
                await RecordFailureAsync(work, error);
            }
        }
    }

    private async Task RecordFailureAsync(StackWork work, Exception error)
    {
        try
        {
            var (action, resource, repository) = work switch
            {
                TagMovedWork moved => (AuditActions.StackFollowRedeploy, "stacks", moved.Repository),
                HookCallWork hook => (AuditActions.StackRedeploy, "stacks/" + hook.Stack, null),
                _ => (AuditActions.StackRedeploy, "stacks", (string?)null),
            };
            await trail.RecordAsync(
                new AuditEvent
                {
                    Action = action,
                    Outcome = AuditOutcomes.Failed,
                    Reason = error.GetType().Name,
                    Resource = resource,
                    Repository = repository,
                    Organization = AuditEvent.NamespaceOf(repository),
                },
                AuditContext.System,
                CancellationToken.None);
        }
        catch (Exception recording)
        {
            LogRecordFailed(recording, work.Key);
        }
    }

    [LoggerMessage(EventId = 4678, Level = LogLevel.Error, Message = "Stack redeploy work {Key} failed")]
    private partial void LogFailed(Exception error, string key);

    [LoggerMessage(EventId = 4679, Level = LogLevel.Error, Message = "Recording the failure of stack redeploy work {Key} failed")]
    private partial void LogRecordFailed(Exception error, string key);
}
