using System.Diagnostics;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Images;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// Does one item of <see cref="StackWorkQueue"/>. A moved tag: for every stack following it, look the tag's target up
/// again (the last push wins), skip a stack whose current revision already pins that digest (a re-push of the same
/// image), ask <see cref="IStackDeployGate"/>, then redeploy the following services as the user who deployed the current
/// revision (<see cref="StackActingUser"/>), audited as <c>stack.follow.redeploy</c> with a note naming tag and digest.
/// A gate refusal (signature policy) is recorded as a denied <c>stack.follow.redeploy</c> with the reason, logged, and
/// sent to webhooks subscribed to <c>trust</c> as <c>stack.redeploy.refused</c>.
/// A hook call: redeploy the whole stack (pull) as the hook's creator, audited as <c>stack.redeploy</c> via hook. A user who
/// cannot be acted for (gone, deactivated) or a gate refusal is recorded as a denied entry here; the redeploy's own
/// refusals and failures are recorded by the stack service. One stack failing does not stop the others.
/// </summary>
internal sealed partial class StackFollowRunner(
    IDbContextFactory<DockyardDbContext> contexts,
    StackActingUser actingUser,
    IStackDeployGate gate,
    IStackRedeployer redeployer,
    RegistryAddress address,
    AuditTrail trail,
    Webhooks.WebhookNotifier webhooks,
    ILogger<StackFollowRunner> logger)
{
    public Task RunAsync(StackWork work, CancellationToken cancellationToken) => work switch
    {
        TagMovedWork moved => FollowAsync(moved, cancellationToken),
        HookCallWork hook => HookAsync(hook, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(work), work.GetType().Name, "Unknown stack work."),
    };

    private async Task FollowAsync(TagMovedWork moved, CancellationToken cancellationToken)
    {
        string? digest;
        List<Target> targets;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            digest = await db.Tags.AsNoTracking()
                .Where(t => t.Repository == moved.Repository && t.Name == moved.Tag)
                .Select(t => t.ManifestDigest)
                .FirstOrDefaultAsync(cancellationToken);
            var rows = await (
                from follow in db.StackFollows.AsNoTracking()
                where follow.Repository == moved.Repository && follow.Tag == moved.Tag
                join stack in db.Stacks.AsNoTracking() on follow.StackId equals stack.Id
                join revision in db.StackRevisions.AsNoTracking() on new { StackId = stack.Id, Number = stack.CurrentRevision } equals new { revision.StackId, revision.Number }
                select new { stack.Name, follow.Service, revision.Number, revision.CreatedBy, revision.Images })
                .ToListAsync(cancellationToken);
            targets = [.. rows.GroupBy(r => r.Name, StringComparer.Ordinal)
                .Select(g => new Target(g.Key, g.First().Number, g.First().CreatedBy, g.First().Images, [.. g.Select(r => r.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))];
        }

        if (digest is null)
        {
            LogTagGone(moved.Repository, moved.Tag);
            return;
        }

        foreach (var target in targets)
        {
            if (PinsOnly(target.Images, moved.Repository, moved.Tag, digest))
            {
                LogAlreadyRunning(target.Stack, moved.Repository, moved.Tag, digest);
                continue;
            }

            await FollowStackAsync(target, moved, digest, cancellationToken);
        }
    }

    private async Task FollowStackAsync(Target target, TagMovedWork moved, string digest, CancellationToken cancellationToken)
    {
        var resource = "stacks/" + target.Stack;
        if (await gate.RefusalAsync(target.Stack, moved.Repository, digest, cancellationToken) is { } refusal)
        {
            LogRefused(target.Stack, moved.Repository, moved.Tag, digest, refusal);
            await DenyAsync(AuditActions.StackFollowRedeploy, resource, moved.Repository, target.CreatedBy, StackActingUser.FollowMethod, refusal);
            await webhooks.StackRedeployRefusedAsync(target.Stack, moved.Repository, moved.Tag, digest, refusal, CancellationToken.None);
            return;
        }

        if (await actingUser.FindAsync(target.CreatedBy, StackActingUser.FollowMethod, cancellationToken) is not { } caller)
        {
            var reason = $"The user '{target.CreatedBy}' who deployed revision {target.Revision} is no longer active: redeploy the stack to follow its tags again.";
            LogRefused(target.Stack, moved.Repository, moved.Tag, digest, reason);
            await DenyAsync(AuditActions.StackFollowRedeploy, resource, moved.Repository, target.CreatedBy, StackActingUser.FollowMethod, reason);
            return;
        }

        var note = $"redeploy on push: {moved.Repository}:{moved.Tag} → {digest}";
        await RedeployAsync(caller, target.Stack, new StackRedeploy(target.Services, note, AuditActions.StackFollowRedeploy), cancellationToken);
    }

    private async Task HookAsync(HookCallWork hook, CancellationToken cancellationToken)
    {
        if (await actingUser.FindAsync(hook.CreatedBy, StackActingUser.HookMethod, cancellationToken) is not { } caller)
        {
            var reason = $"The user '{hook.CreatedBy}' who created hook {hook.HookId} is no longer active.";
            LogHookRefused(hook.Stack, hook.HookId, reason);
            await DenyAsync(AuditActions.StackRedeploy, "stacks/" + hook.Stack, null, hook.CreatedBy, StackActingUser.HookMethod, reason);
            return;
        }

        await RedeployAsync(caller, hook.Stack, new StackRedeploy(null, $"redeploy by hook {hook.HookId}", AuditActions.StackRedeploy), cancellationToken);
    }

    private async Task RedeployAsync(Caller caller, string stack, StackRedeploy request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var revision = await redeployer.RedeployAsync(caller, stack, request, cancellationToken);
            LogRedeployed(stack, request.Note, caller.Principal.Name, revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (nothing changed)", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (DomainException error)
        {
            // Refused or failed: the stack service has recorded it under the acting user.
            LogRedeployRefused(stack, request.Note, caller.Principal.Name, error.Message);
        }
    }

    /// <summary>True when every pinned image of <paramref name="repository"/>:<paramref name="tag"/> in the revision is already <paramref name="digest"/>.</summary>
    private bool PinsOnly(string imagesJson, string repository, string tag, string digest)
    {
        Dictionary<string, string>? images;
        try
        {
            images = JsonSerializer.Deserialize<Dictionary<string, string>>(imagesJson);
        }
        catch (JsonException)
        {
            return false;
        }

        var found = false;
        foreach (var pinned in images is null ? [] : images.Values.ToList())
        {
            if (address.TryParse(pinned, out var reference, out _) && reference.Repository.Value == repository && reference.Tag == tag)
            {
                if (reference.Digest?.Value != digest)
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }

    private Task DenyAsync(string action, string resource, string? repository, string username, string authMethod, string reason) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = action,
                Outcome = AuditOutcomes.Denied,
                Reason = reason,
                Resource = resource,
                Repository = repository,
                Organization = AuditEvent.NamespaceOf(repository),
                Actor = new AuditActor("user", username, null),
                AuthMethod = authMethod,
            },
            AuditContext.System,
            CancellationToken.None);

    private sealed record Target(string Stack, int Revision, string CreatedBy, string Images, IReadOnlyList<string> Services);

    [LoggerMessage(EventId = 4672, Level = LogLevel.Information, Message = "Stack {Stack}: {Note} done as {User}, new revision {Revision}, in {Milliseconds:0} ms")]
    private partial void LogRedeployed(string stack, string note, string user, string revision, double milliseconds);

    [LoggerMessage(EventId = 4673, Level = LogLevel.Warning, Message = "Stack {Stack}: {Note} as {User} was refused or failed: {Reason}")]
    private partial void LogRedeployRefused(string stack, string note, string user, string reason);

    [LoggerMessage(EventId = 4674, Level = LogLevel.Warning, Message = "Stack {Stack} does not follow {Repository}:{Tag} to {Digest}: {Reason}")]
    private partial void LogRefused(string stack, string repository, string tag, string digest, string reason);

    [LoggerMessage(EventId = 4675, Level = LogLevel.Debug, Message = "Stack {Stack} already runs {Repository}:{Tag} at {Digest}: nothing to redeploy")]
    private partial void LogAlreadyRunning(string stack, string repository, string tag, string digest);

    [LoggerMessage(EventId = 4676, Level = LogLevel.Information, Message = "Followed tag {Repository}:{Tag} no longer exists: nothing to redeploy")]
    private partial void LogTagGone(string repository, string tag);

    [LoggerMessage(EventId = 4677, Level = LogLevel.Warning, Message = "Stack {Stack}: hook {HookId} redeploy refused: {Reason}")]
    private partial void LogHookRefused(string stack, long hookId, string reason);
}
