namespace Dockyard.Server.Ui.Layout;

/// <summary>
/// A main-navigation entry. <paramref name="Exact"/> means only that path marks it current, not paths below it.
/// <paramref name="Group"/> decides where it is shown: null in the top bar itself, <see cref="Cluster"/> or
/// <see cref="Administration"/> in that menu of the top bar, <see cref="Account"/> in the signed-in user's menu.
/// </summary>
internal sealed record NavItem(string Label, string Href, bool Exact, string? Group = null)
{
    /// <summary>The container-platform pages (engines, containers, stacks).</summary>
    public const string Cluster = "Cluster";

    /// <summary>System administration (administrators only).</summary>
    public const string Administration = "Administration";

    /// <summary>The signed-in user's own pages, in the menu under their name (followed by Sign out).</summary>
    public const string Account = "Account";
}
