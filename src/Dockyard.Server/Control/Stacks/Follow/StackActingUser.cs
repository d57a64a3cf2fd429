using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// The <see cref="Caller"/> a background redeploy acts as: the user who deployed the stack's current revision (on
/// push) or who created the hook (hook call), as that user is NOW — active, with today's grants and administrator
/// flag, full rights (the token they deployed with is not kept, so its scopes cannot narrow this). Authorization then
/// asks the usual questions (StackDeploy on the collection, pull on each repository) about that user: one who lost
/// the right is refused and the refusal is audited under their name. Entries carry <c>via</c> and the auth method
/// <c>stack-follow</c> / <c>stack-hook</c>, so they are told apart from the user's own requests.
/// </summary>
internal sealed class StackActingUser(IDbContextFactory<DockyardDbContext> contexts)
{
    public const string FollowMethod = "stack-follow";
    public const string HookMethod = "stack-hook";

    /// <summary>The caller for <paramref name="username"/>, or null when no active user has that name (deleted, deactivated, a service account).</summary>
    public async Task<Caller?> FindAsync(string username, string authMethod, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (user is not { IsActive: true })
        {
            return null;
        }

        var principal = new Principal { Kind = PrincipalKind.User, Name = user.Username, UserId = user.Id, IsAdmin = user.IsAdmin, AuthMethod = authMethod };
        return new Caller(principal, new AuditContext(AuditActor.From(principal), authMethod, null, null, null), [])
            .With("via", authMethod == HookMethod ? "hook" : "follow");
    }
}
