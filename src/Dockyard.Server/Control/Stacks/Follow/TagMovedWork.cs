namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>A manifest was pushed under <paramref name="Repository"/>:<paramref name="Tag"/>: redeploy the services following it.</summary>
/// <param name="Repository">Dockyard repository name, e.g. <c>team/web</c>.</param>
/// <param name="Tag">The tag pushed.</param>
/// <param name="Digest">The digest pushed (the tag's target is looked up again when the work runs).</param>
internal sealed record TagMovedWork(string Repository, string Tag, string Digest) : StackWork
{
    public override string Key => "tag " + Repository + ":" + Tag;
}
