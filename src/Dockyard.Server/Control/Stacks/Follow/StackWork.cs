namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// One redeploy waiting in <see cref="StackWorkQueue"/>. Work with the same <see cref="Key"/> coalesces: a newer item
/// replaces the queued one, so ten pushes of a tag in a row cost one redeploy to the last digest.
/// </summary>
internal abstract record StackWork
{
    /// <summary>What makes two items the same work (the pushed repository:tag, or the stack a hook was called for).</summary>
    public abstract string Key { get; }
}
