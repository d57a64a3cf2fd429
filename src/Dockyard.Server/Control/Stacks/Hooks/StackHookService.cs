using System.Text.RegularExpressions;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Addressing;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Stacks.Follow;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>
/// Redeploy hooks of a stack for outside CI. Managing them (create, list, delete) needs StackDeploy on the stack's
/// collection (not visible → 404, visible but refused → 403); create and delete are audited
/// (<c>stack.hook.create</c>, <c>stack.hook.delete</c>). A call (<see cref="CallAsync"/>) needs no login: the token is
/// hashed and compared in constant time with every hook of the stack; an unknown stack, a wrong token and a hook
/// whose creator is no longer active get the same answer. Each call is rate-limited first (<see cref="StackHookLimiter"/>),
/// then audited as <c>stack.hook.call</c> (success or refusal, never the token) and, when good, queues a
/// pull-and-redeploy run as the hook's creator (<see cref="StackWorkQueue"/>).
/// </summary>
internal sealed partial class StackHookService(
    IDbContextFactory<DockyardDbContext> contexts,
    CollectionDecisions decisions,
    AuditedOperations audited,
    AuditTrail trail,
    StackHookLimiter limiter,
    StackWorkQueue queue,
    StackActingUser actingUser,
    PublicUrl publicUrl,
    TimeProvider time,
    ILogger<StackHookService> logger)
{
    /// <summary>Where hooks are called: <c>{public URL}/hooks/stacks/{name}/{token}</c>.</summary>
    public const string CallPrefix = "/hooks/stacks";

    public async Task<NewStackHookView> CreateAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        StackEntity? stack = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackHookCreate, $"stacks/{name}/hooks").WithFields(("stack", name)),
            async token =>
            {
                stack = await FindAsync(name, token);
                return await DecideAsync(caller, stack, token);
            },
            token => CreateAsync(stack!, caller.Principal.Name, token),
            cancellationToken,
            resourceOf: hook => $"stacks/{name}/hooks/{hook.Id}");
    }

    public async Task<StackHookList> ListAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var stack = await FindAsync(name, cancellationToken);
        var decision = await DecideAsync(caller, stack, cancellationToken);
        if (!decision.IsAllowed)
        {
            throw decision.Error!;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hooks = await db.StackHooks.AsNoTracking().Where(h => h.StackId == stack.Id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return new StackHookList([.. hooks.Select(h => new StackHookView(h.Id, h.TokenPrefix, h.CreatedBy, h.CreatedAt, h.LastUsedAt))]);
    }

    public Task DeleteAsync(Caller caller, string name, long id, CancellationToken cancellationToken)
    {
        StackEntity? stack = null;
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackHookDelete, $"stacks/{name}/hooks/{id}").WithFields(("stack", name), ("hook", id)),
            async token =>
            {
                stack = await FindAsync(name, token);
                return await DecideAsync(caller, stack, token);
            },
            async token =>
            {
                await using var db = await contexts.CreateDbContextAsync(token);
                if (await db.StackHooks.Where(h => h.StackId == stack!.Id && h.Id == id).ExecuteDeleteAsync(token) == 0)
                {
                    throw DomainException.NotFound($"Hook {id} of stack '{name}' not found.");
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// A call of <c>POST /hooks/stacks/{name}/{token}</c> from <paramref name="address"/>, recorded with
    /// <paramref name="context"/> (the request's, anonymous). Never throws for bad input.
    /// </summary>
    public async Task<StackHookCallResult> CallAsync(string name, string token, string address, AuditContext context, CancellationToken cancellationToken)
    {
        var validName = StackName().IsMatch(name);
        if (limiter.TryCall(address, validName ? name : string.Empty) is { } retryAfter)
        {
            LogLimited(validName ? name : "(invalid name)", address);
            return new StackHookCallResult(StackHookCallOutcome.Limited, RetryAfter: retryAfter);
        }

        // Hashed whatever the input, so a malformed token costs the same as a wrong one.
        var presented = StackHookToken.HashOf(token.Length <= 256 ? token : string.Empty);
        var resource = validName ? "stacks/" + name : "stacks";
        if (!validName || token.Length != StackHookToken.Length)
        {
            await RecordCallAsync(context, resource, null, AuditOutcomes.Denied, validName ? "Malformed token." : "Malformed stack name.", null);
            return new StackHookCallResult(StackHookCallOutcome.NotFound);
        }

        StackHookEntity? match = null;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var hooks = await (
                from hook in db.StackHooks.AsNoTracking()
                join stack in db.Stacks.AsNoTracking() on hook.StackId equals stack.Id
                where stack.Name == name
                select hook).ToListAsync(cancellationToken);
            foreach (var hook in hooks)
            {
                // Every hook is compared, a match or not, so the time taken does not tell which one matched.
                if (StackHookToken.Matches(presented, hook.TokenHash) && match is null)
                {
                    match = hook;
                }
            }

            if (match is null)
            {
                await RecordCallAsync(context, resource, null, AuditOutcomes.Denied, hooks.Count == 0 ? "Unknown stack or no hooks." : "Wrong token.", null);
                return new StackHookCallResult(StackHookCallOutcome.NotFound);
            }

            await db.StackHooks.Where(h => h.Id == match.Id).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastUsedAt, time.GetUtcNow()), cancellationToken);
        }

        var creator = new AuditActor("user", match.CreatedBy, null);
        if (await actingUser.FindAsync(match.CreatedBy, StackActingUser.HookMethod, cancellationToken) is null)
        {
            await RecordCallAsync(context, resource, match.Id, AuditOutcomes.Denied, $"The hook's creator '{match.CreatedBy}' is no longer active.", creator);
            return new StackHookCallResult(StackHookCallOutcome.NotFound);
        }

        var queued = queue.Enqueue(new HookCallWork(name, match.Id, match.CreatedBy));
        if (queued == StackEnqueueResult.Full)
        {
            await RecordCallAsync(context, resource, match.Id, AuditOutcomes.Failed, "The redeploy queue is full.", creator);
            return new StackHookCallResult(StackHookCallOutcome.Busy, RetryAfter: TimeSpan.FromSeconds(30));
        }

        await RecordCallAsync(context, resource, match.Id, AuditOutcomes.Success, null, creator);
        LogCalled(name, match.Id);
        return new StackHookCallResult(
            StackHookCallOutcome.Accepted,
            new StackHookCallView(
                name,
                match.Id,
                queued == StackEnqueueResult.Queued,
                $"Redeploy queued as {match.CreatedBy}: the stack's tags are re-resolved from Dockyard's index and the services whose digest changed are updated (rolling update)."));
    }

    private async Task<NewStackHookView> CreateAsync(StackEntity stack, string createdBy, CancellationToken cancellationToken)
    {
        var (token, prefix, hash) = StackHookToken.Create();
        var hook = new StackHookEntity { StackId = stack.Id, TokenHash = hash, TokenPrefix = prefix, CreatedBy = createdBy, CreatedAt = time.GetUtcNow() };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.StackHooks.Add(hook);
            await db.SaveChangesAsync(cancellationToken);
        }

        var baseUrl = publicUrl.Url ?? throw DomainException.Unavailable("The server's public URL is not known yet.");
        var url = new Uri(baseUrl, $"{CallPrefix}/{stack.Name}/{token}").AbsoluteUri;
        return new NewStackHookView(hook.Id, prefix, token, url, createdBy, hook.CreatedAt);
    }

    private async Task<StackEntity> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Stacks.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken)
            ?? throw DomainException.NotFound($"Stack '{name}' not found.");
    }

    private Task<AccessDecision> DecideAsync(Caller caller, StackEntity stack, CancellationToken cancellationToken) =>
        decisions.DecideAsync(
            caller.Principal,
            Operation.StackDeploy,
            Operation.StackView,
            ResourceKind.Stack,
            CollectionPath.TryParse(stack.Collection, out var collection) ? collection : CollectionPath.Root,
            $"stack {stack.Name}",
            cancellationToken);

    private Task RecordCallAsync(AuditContext context, string resource, long? hook, string outcome, string? reason, AuditActor? actor) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.StackHookCall,
                Outcome = outcome,
                Reason = reason,
                Resource = hook is null ? resource : $"{resource}/hooks/{hook}",
                Actor = actor,
                AuthMethod = actor is null ? null : StackActingUser.HookMethod,
            },
            context,
            CancellationToken.None);

    /// <summary>Docker's stack name rule: lowercase letters, digits, <c>_</c> and <c>-</c>.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex StackName();

    [LoggerMessage(EventId = 4680, Level = LogLevel.Warning, Message = "Redeploy hook calls for stack {Stack} from {Address} are over the limit")]
    private partial void LogLimited(string stack, string address);

    [LoggerMessage(EventId = 4681, Level = LogLevel.Information, Message = "Redeploy hook {HookId} of stack {Stack} called: redeploy queued")]
    private partial void LogCalled(string stack, long hookId);
}
