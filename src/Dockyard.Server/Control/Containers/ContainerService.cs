using System.Diagnostics;
using System.Text.RegularExpressions;
using Dockyard.Control.Engines;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// One container: inspect (<see cref="Operation.ContainerView"/>), lifecycle changes (<see cref="Operation.ContainerOperate"/>)
/// and removal (<see cref="Operation.ContainerDelete"/>), each on the engine that runs it (<see cref="ContainerLocator"/>),
/// decided in the container's collection (<see cref="CollectionDecisions"/>: unseen is 404, seen but refused 403).
/// Every change is recorded (<c>container.start</c> … <c>container.remove</c>, with the container's name, id, engine
/// and node) — success, failure and refusal alike; reads are not. Engine failures become domain errors through
/// <see cref="EngineErrors"/>.
/// </summary>
internal sealed partial class ContainerService(ContainerLocator locator, CollectionDecisions decisions, AuditedOperations audited)
{
    private static readonly TimeSpan MaxStopWait = TimeSpan.FromMinutes(5);

    public async Task<ContainerInspection> InspectAsync(Principal principal, string reference, CancellationToken cancellationToken)
    {
        var target = await locator.FindAsync(reference, cancellationToken);
        await decisions.RequireAsync(principal, Operation.ContainerView, Operation.ContainerView, ResourceKind.Container, target.Collection, target.Description, cancellationToken);
        string json;
        try
        {
            json = await target.Client.InspectJsonAsync(target.Id, cancellationToken);
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }

        return ContainerInspectionReader.Read(target, json);
    }

    /// <summary>
    /// Starts, stops, restarts, kills (with <paramref name="signal"/>, default SIGKILL), pauses or unpauses the
    /// container. <paramref name="timeout"/> is the stop/restart grace period (engine default when null).
    /// </summary>
    public async Task<ContainerActionResult> ActAsync(
        Caller caller, string reference, ContainerAction action, string? signal, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var name = ActionName(action);
        if (signal is not null && (action != ContainerAction.Kill || !Signal().IsMatch(signal)))
        {
            throw DomainException.Invalid("signal", action == ContainerAction.Kill
                ? "A signal is a name such as SIGTERM or HUP, or a number."
                : "Only kill takes a signal.");
        }

        if (timeout is { } wait && (action is not (ContainerAction.Stop or ContainerAction.Restart) || wait < TimeSpan.Zero || wait > MaxStopWait))
        {
            throw DomainException.Invalid("timeout", "Only stop and restart take a timeout, of 0 to 300 seconds.");
        }

        var target = await LocateAsync(caller, name, reference, cancellationToken);
        var changed = await audited.RunAsync(
            caller,
            Describe(name, target).WithFields(Fields(target, ("signal", signal), ("timeout", timeout?.TotalSeconds))),
            token => decisions.DecideAsync(caller.Principal, Operation.ContainerOperate, Operation.ContainerView, ResourceKind.Container, target.Collection, target.Description, token),
            token => RunAsync(target, action, signal, timeout, token),
            cancellationToken,
            resultOf: done => AuditedResult.Of(("changed", done)));
        return new ContainerActionResult(target.Id, target.Name, action.ToString().ToLowerInvariant(), changed, changed ? Done(action) : Already(action));
    }

    /// <summary>Removes the container; a running one only with <paramref name="force"/> (else 409). <paramref name="volumes"/> removes its anonymous volumes.</summary>
    public async Task RemoveAsync(Caller caller, string reference, bool force, bool volumes, CancellationToken cancellationToken)
    {
        var target = await LocateAsync(caller, AuditActions.ContainerRemove, reference, cancellationToken);
        await audited.RunAsync(
            caller,
            Describe(AuditActions.ContainerRemove, target).WithFields(Fields(target, ("force", force), ("volumes", volumes))),
            token => decisions.DecideAsync(caller.Principal, Operation.ContainerDelete, Operation.ContainerView, ResourceKind.Container, target.Collection, target.Description, token),
            async token =>
            {
                try
                {
                    await target.Client.RemoveAsync(target.Id, force, volumes, token);
                }
                catch (EngineApiException error)
                {
                    throw EngineErrors.ToDomain(error);
                }

                locator.Forget(target);
            },
            cancellationToken);
    }

    /// <summary>
    /// The container a change is about. A reference that names none (or an anonymous caller) is recorded like any
    /// other failed change, with the reference as given, before its error is raised.
    /// </summary>
    private async Task<ContainerTarget> LocateAsync(Caller caller, string action, string reference, CancellationToken cancellationToken)
    {
        DomainException? failure = null;
        if (caller.Principal.IsAuthenticated)
        {
            try
            {
                return await locator.FindAsync(reference, cancellationToken);
            }
            catch (DomainException error)
            {
                failure = error;
            }
        }

        await audited.RunAsync(
            caller,
            new AuditedAction(action, "containers/" + reference).WithFields(("name", reference)),
            _ => failure is null ? Task.FromResult(AccessDecision.Allowed) : Task.FromException<AccessDecision>(failure),
            _ => Task.CompletedTask,
            cancellationToken);
        throw (Exception?)failure ?? new UnreachableException("An anonymous caller is refused by the audited run.");
    }

    private static async Task<bool> RunAsync(ContainerTarget target, ContainerAction action, string? signal, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var client = target.Client;
        try
        {
            return action switch
            {
                ContainerAction.Start => await client.StartAsync(target.Id, cancellationToken),
                ContainerAction.Stop => await client.StopAsync(target.Id, timeout, cancellationToken),
                ContainerAction.Restart => await client.RestartAsync(target.Id, timeout, cancellationToken),
                ContainerAction.Kill => await client.KillAsync(target.Id, signal, cancellationToken),
                ContainerAction.Pause => await client.PauseAsync(target.Id, cancellationToken),
                ContainerAction.Unpause => await client.UnpauseAsync(target.Id, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
            };
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }
    }

    private static AuditedAction Describe(string action, ContainerTarget target) => new(action, "containers/" + target.Name);

    private static (string, object?)[] Fields(ContainerTarget target, params (string, object?)[] more) =>
        [("name", target.Name), ("containerId", target.Id), ("engine", target.Engine.Name), ("node", target.Engine.NodeId), .. more];

    private static string ActionName(ContainerAction action) => action switch
    {
        ContainerAction.Start => AuditActions.ContainerStart,
        ContainerAction.Stop => AuditActions.ContainerStop,
        ContainerAction.Restart => AuditActions.ContainerRestart,
        ContainerAction.Kill => AuditActions.ContainerKill,
        ContainerAction.Pause => AuditActions.ContainerPause,
        ContainerAction.Unpause => AuditActions.ContainerUnpause,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static string Done(ContainerAction action) => action switch
    {
        ContainerAction.Start => "started",
        ContainerAction.Stop => "stopped",
        ContainerAction.Restart => "restarted",
        ContainerAction.Kill => "signalled",
        ContainerAction.Pause => "paused",
        _ => "unpaused",
    };

    private static string Already(ContainerAction action) => action switch
    {
        ContainerAction.Start or ContainerAction.Restart => "already running",
        ContainerAction.Stop => "already stopped",
        ContainerAction.Pause => "already paused",
        ContainerAction.Unpause => "not paused",
        _ => "unchanged",
    };

    // SIGTERM, TERM, SIGRTMIN+3, 9.
    [GeneratedRegex("^(?:[0-9]{1,2}|(?:SIG)?[A-Z][A-Z0-9]{1,10}(?:[+-][0-9]{1,2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Signal();
}
