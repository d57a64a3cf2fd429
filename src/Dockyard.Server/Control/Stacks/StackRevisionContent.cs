namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// What a revision deploys, in clear: the files, the environment split into plain and secret values, the attachments,
/// the images as written → pinned, and the followed services. Held only in memory; stored through <see cref="StackRevisionCodec"/>.
/// </summary>
internal sealed record StackRevisionContent(
    IReadOnlyList<StackFile> Files,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> SecretEnvironment,
    IReadOnlyDictionary<string, byte[]> Attachments,
    IReadOnlyDictionary<string, string> Images,
    IReadOnlyList<string> Follow)
{
    /// <summary>The environment the Compose files are interpolated from (secret values included).</summary>
    public IReadOnlyDictionary<string, string> Interpolation()
    {
        var all = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in SecretEnvironment)
        {
            all[name] = value;
        }

        return all;
    }
}
