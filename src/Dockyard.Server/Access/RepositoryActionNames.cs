namespace Dockyard.Server.Access;

/// <summary>The wire names of <see cref="RepositoryActions"/> (<c>pull</c>, <c>push</c>, <c>delete</c>), in that order.</summary>
internal static class RepositoryActionNames
{
    private static readonly (RepositoryActions Action, string Name)[] Known =
        [(RepositoryActions.Pull, "pull"), (RepositoryActions.Push, "push"), (RepositoryActions.Delete, "delete")];

    /// <summary>The names of the actions set in <paramref name="actions"/>, in pull, push, delete order.</summary>
    public static string[] Of(RepositoryActions actions) =>
        [.. Known.Where(k => actions.HasFlag(k.Action)).Select(k => k.Name)];

    /// <summary>Parses one action name; false for anything but <c>pull</c>, <c>push</c>, <c>delete</c>.</summary>
    public static bool TryParse(string name, out RepositoryActions action)
    {
        foreach (var (known, knownName) in Known)
        {
            if (name == knownName)
            {
                action = known;
                return true;
            }
        }

        action = RepositoryActions.None;
        return false;
    }
}
