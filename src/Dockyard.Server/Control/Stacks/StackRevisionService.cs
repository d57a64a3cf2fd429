using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// A managed stack's history: its revisions (newest first), one revision's content (secret variables listed with a
/// null value, attachments never shown) and the diff of two revisions. Reads need <see cref="Operation.StackView"/>
/// on the stack's collection (not visible → 404).
/// </summary>
internal sealed class StackRevisionService(IDbContextFactory<DockyardDbContext> contexts, CollectionDecisions decisions, StackRevisionCodec codec)
{
    public async Task<IReadOnlyList<StackRevisionSummaryView>> ListAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var stack = await StackAsync(caller, name, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var revisions = await db.StackRevisions.AsNoTracking().Where(r => r.StackId == stack.Id).OrderByDescending(r => r.Number).ToListAsync(cancellationToken);
        return [.. revisions.Select(r => new StackRevisionSummaryView(
            r.Number, r.Number == stack.CurrentRevision, r.Version, r.Description, r.SourceUrl, r.SourceRevision, r.Note, r.CreatedBy, r.CreatedAt))];
    }

    public async Task<StackRevisionView> GetAsync(Caller caller, string name, int number, CancellationToken cancellationToken)
    {
        var stack = await StackAsync(caller, name, cancellationToken);
        var revision = await RevisionAsync(stack, number, cancellationToken);
        var content = StackRevisionCodec.ReadPublic(revision);
        var environment = content.Environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        foreach (var secret in codec.SecretNames(revision))
        {
            environment[secret] = null;
        }

        return new StackRevisionView(
            revision.Number, revision.Number == stack.CurrentRevision, revision.Version, revision.Description, revision.SourceUrl, revision.SourceRevision,
            revision.Note, revision.CreatedBy, revision.CreatedAt, content.Files,
            new SortedDictionary<string, string?>(environment, StringComparer.Ordinal), content.Images, content.Follow);
    }

    /// <summary>What changed from <paramref name="from"/> to <paramref name="to"/>: files (unified diffs), environment (secret values never shown), pinned images.</summary>
    public async Task<StackDiffView> DiffAsync(Caller caller, string name, int from, int to, CancellationToken cancellationToken)
    {
        var stack = await StackAsync(caller, name, cancellationToken);
        var older = codec.Read(await RevisionAsync(stack, from, cancellationToken));
        var newer = codec.Read(await RevisionAsync(stack, to, cancellationToken));

        var files = new List<StackFileDiffView>();
        foreach (var fileName in older.Files.Select(f => f.Name).Union(newer.Files.Select(f => f.Name)))
        {
            var a = older.Files.FirstOrDefault(f => f.Name == fileName)?.Text;
            var b = newer.Files.FirstOrDefault(f => f.Name == fileName)?.Text;
            var change = a is null ? "added" : b is null ? "removed" : a == b ? "unchanged" : "changed";
            files.Add(new StackFileDiffView(fileName, change, change == "unchanged" ? string.Empty : StackDiff.Unified(fileName, a, b)));
        }

        var environment = Changes(older.Environment, newer.Environment, secret: false)
            .Concat(Changes(older.SecretEnvironment, newer.SecretEnvironment, secret: true))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new StackDiffView(from, to, files, environment, Changes(older.Images, newer.Images, secret: false));
    }

    private static List<StackValueChangeView> Changes(IReadOnlyDictionary<string, string> older, IReadOnlyDictionary<string, string> newer, bool secret)
    {
        var changes = new List<StackValueChangeView>();
        foreach (var key in older.Keys.Union(newer.Keys).Order(StringComparer.Ordinal))
        {
            var had = older.TryGetValue(key, out var a);
            var has = newer.TryGetValue(key, out var b);
            var change = !had ? "added" : !has ? "removed" : a == b ? null : "changed";
            if (change is not null)
            {
                changes.Add(new StackValueChangeView(key, change, secret ? null : a, secret ? null : b));
            }
        }

        return changes;
    }

    private async Task<StackEntity> StackAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        if (!caller.Principal.IsAuthenticated)
        {
            throw DomainException.Unauthenticated("Authentication required.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stack = StackNames.IsValid(name) ? await db.Stacks.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, cancellationToken) : null;
        if (stack is null)
        {
            throw DomainException.NotFound($"Stack {name} not found (or not managed by Dockyard: it has no revisions).");
        }

        await decisions.RequireAsync(caller.Principal, Operation.StackView, Operation.StackView, ResourceKind.Stack, CollectionPath.Parse(stack.Collection), $"stack {name}", cancellationToken);
        return stack;
    }

    private async Task<StackRevisionEntity> RevisionAsync(StackEntity stack, int number, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.StackRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.StackId == stack.Id && r.Number == number, cancellationToken)
            ?? throw DomainException.NotFound($"Stack {stack.Name} has no revision {number}.");
    }
}
