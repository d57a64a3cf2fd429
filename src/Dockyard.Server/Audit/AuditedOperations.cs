using Dockyard.Server.Errors;

namespace Dockyard.Server.Audit;

/// <summary>
/// Runs one state-changing service operation for a <see cref="Caller"/> and records it, whoever called (API, UI, CLI
/// verb, job). An anonymous caller is refused before anything else (every audited operation needs credentials):
/// recorded as <c>denied</c>, raised as <see cref="DomainErrorKind.Unauthenticated"/> (401 on the API).
/// Authorize first: a refusal is recorded as <c>denied</c> with its reason and its typed error is raised.
/// Then run: success is recorded with the resource the result names (a created object's id) or the one given;
/// an <see cref="DomainException"/> is recorded as <c>failed</c> with its message, any other exception as <c>failed</c>
/// with its type name only; both are rethrown. A cancelled operation is not recorded. The entry is committed before
/// this returns, and never given up for a caller that hung up (<see cref="CancellationToken.None"/>).
/// </summary>
internal sealed class AuditedOperations(AuditTrail trail)
{
    /// <summary>Runs <paramref name="operation"/> if <paramref name="authorize"/> allows it; see the class remarks.</summary>
    /// <param name="caller">Who acts (authorized, and the entry's actor and context).</param>
    /// <param name="action">Action name, resource and allow-listed fields of the entry.</param>
    /// <param name="authorize">The decision; it may also throw an <see cref="DomainException"/> (e.g. not found), recorded as failed.</param>
    /// <param name="operation">The change itself.</param>
    /// <param name="cancellationToken">Cancels the operation; never the recording of what happened.</param>
    /// <param name="resourceOf">The resource as known after success (e.g. <c>me/tokens/12</c>); null keeps <see cref="AuditedAction.Resource"/>.</param>
    /// <param name="resultOf">What the success entry adds from the result (counts of a run): allow-listed fields and, when not null, a failed outcome's reason.</param>
    public async Task<T> RunAsync<T>(
        Caller caller,
        AuditedAction action,
        Func<CancellationToken, Task<AccessDecision>> authorize,
        Func<CancellationToken, Task<T>> operation,
        CancellationToken cancellationToken,
        Func<T, string>? resourceOf = null,
        Func<T, AuditedResult>? resultOf = null)
    {
        if (!caller.Principal.IsAuthenticated)
        {
            const string reason = "Authentication required.";
            await RecordAsync(caller, action, action.Resource, AuditOutcomes.Denied, reason);
            throw DomainException.Unauthenticated(reason);
        }

        AccessDecision decision;
        T result = default!;
        try
        {
            decision = await authorize(cancellationToken);
            if (decision.IsAllowed)
            {
                result = await operation(cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await RecordAsync(caller, action, action.Resource, AuditOutcomes.Failed, error is DomainException ? error.Message : error.GetType().Name);
            throw;
        }

        if (!decision.IsAllowed)
        {
            await RecordAsync(caller, action, action.Resource, AuditOutcomes.Denied, decision.Reason);
            throw decision.Error!;
        }

        if (resultOf?.Invoke(result) is { } outcome)
        {
            action = action with { Fields = [.. action.Fields, .. outcome.Fields] };
            await RecordAsync(caller, action, resourceOf?.Invoke(result) ?? action.Resource, outcome.Failure is null ? AuditOutcomes.Success : AuditOutcomes.Failed, outcome.Failure);
            return result;
        }

        await RecordAsync(caller, action, resourceOf?.Invoke(result) ?? action.Resource, AuditOutcomes.Success, reason: null);
        return result;
    }

    /// <summary>As above, for an operation without a result.</summary>
    public Task RunAsync(
        Caller caller,
        AuditedAction action,
        Func<CancellationToken, Task<AccessDecision>> authorize,
        Func<CancellationToken, Task> operation,
        CancellationToken cancellationToken) =>
        RunAsync(
            caller,
            action,
            authorize,
            async token =>
            {
                await operation(token);
                return true;
            },
            cancellationToken);

    private Task RecordAsync(Caller caller, AuditedAction action, string resource, string outcome, string? reason) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = action.Action,
                Outcome = outcome,
                Reason = reason,
                Resource = resource,
                Repository = action.Repository,
                Organization = action.Organization ?? AuditEvent.NamespaceOf(action.Repository),
                Details = AuditDetails.Of(action, caller),
            },
            caller.Context,
            CancellationToken.None);
}
