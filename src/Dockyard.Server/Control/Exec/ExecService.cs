using Dockyard.Control.Engines;
using Dockyard.Control.Exec;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Containers;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// Starts a terminal process in a container, on the engine that runs it (<see cref="ContainerLocator"/>: a container on
/// a worker is reached through that worker's engine, whichever Dockyard replica or manager is asked), after the
/// <see cref="Operation.ContainerExec"/> decision in the container's collection (view-only and restricted-control
/// have no exec: 403 when the container is visible, 404 when not). Always with a TTY and <c>TERM=xterm-256color</c>.
/// Every start is audited as <c>container.exec</c> — container, engine, node, command and user; success, failure and
/// refusal — and nothing the terminal carries afterwards (keystrokes and output are never recorded).
/// </summary>
internal sealed partial class ExecService(
    ContainerLocator locator,
    CollectionDecisions decisions,
    AuditedOperations audited,
    ILogger<ExecService> logger)
{
    private static readonly IReadOnlyList<string> Environment = ["TERM=xterm-256color"];

    /// <summary>
    /// Finds, authorizes and starts. A refusal or a failure to find the container is thrown (<see cref="DomainException"/>:
    /// 401, 403, 404, 409, 503); a container or command that does not allow the start is an outcome with a message.
    /// </summary>
    public async Task<ExecOutcome> StartAsync(Caller caller, string reference, ExecRequest request, CancellationToken cancellationToken)
    {
        var action = new AuditedAction(AuditActions.ContainerExec, "containers/" + reference);
        ContainerTarget? target = null;
        DomainException? notFound = null;
        if (caller.Principal.IsAuthenticated)
        {
            try
            {
                target = await locator.FindAsync(reference, cancellationToken);
                action = action with { Resource = "containers/" + target.Name };
            }
            catch (DomainException error)
            {
                notFound = error;
            }
        }

        action = action.WithFields(
            ("container", target?.Name ?? reference),
            ("engine", target?.Engine.Name),
            ("node", target?.Engine.NodeId),
            ("command", request.Command),
            ("user", request.User));

        return await audited.RunAsync(
            caller,
            action,
            token => notFound is not null
                ? throw notFound
                : decisions.DecideAsync(caller.Principal, Operation.ContainerExec, Operation.ContainerView, ResourceKind.Container, target!.Collection, target.Description, token),
            token => OpenAsync(target!, request, token),
            cancellationToken,
            resultOf: outcome => new AuditedResult([new("command", outcome.Command)], outcome.Message));
    }

    private async Task<ExecOutcome> OpenAsync(ContainerTarget target, ExecRequest request, CancellationToken cancellationToken)
    {
        var client = new ExecClient(target.Engine.Client);
        foreach (var command in request.Candidates)
        {
            var commandText = string.Join(' ', command);
            try
            {
                var session = await client.OpenAsync(
                    target.Id,
                    new ExecCreateOptions { Cmd = command, Tty = true, AttachStdin = true, Env = Environment, User = request.User },
                    cancellationToken);
                LogStarted(logger, target.Name, target.Engine.Name, commandText);
                return new ExecOutcome(target, commandText, session, null);
            }
            catch (ExecStartFailedException error) when (error.ExecutableNotFound)
            {
                if (!request.IsAuto)
                {
                    return new ExecOutcome(target, commandText, null, $"{commandText}: command not found in {target.Description}");
                }
            }
            catch (ExecStartFailedException error)
            {
                return new ExecOutcome(target, commandText, null, $"could not start {commandText} in {target.Description}: {error.EngineMessage}");
            }
            catch (EngineApiException error) when (error.Kind == EngineErrorKind.Conflict)
            {
                // The container is stopped, paused or restarting.
                return new ExecOutcome(target, commandText, null, $"{target.Description} is not running ({error.Message})");
            }
            catch (EngineApiException error)
            {
                throw EngineErrors.ToDomain(error);
            }
        }

        return new ExecOutcome(target, request.Command, null, $"no shell in this container: tried {string.Join(", ", ExecRequest.Shells)}");
    }

    [LoggerMessage(EventId = 4590, Level = LogLevel.Information, Message = "Terminal started in container {Container} on engine {Engine}: {Command}")]
    private static partial void LogStarted(ILogger logger, string container, string engine, string command);
}
