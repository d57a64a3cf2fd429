namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>A redeploy hook of <paramref name="Stack"/> was called with a good token: pull and redeploy as the hook's creator.</summary>
/// <param name="Stack">The stack's name.</param>
/// <param name="HookId">The hook called (for the revision's note and the log; never its token).</param>
/// <param name="CreatedBy">The user who created the hook, on whose behalf the redeploy runs.</param>
internal sealed record HookCallWork(string Stack, long HookId, string CreatedBy) : StackWork
{
    public override string Key => "hook " + Stack;
}
