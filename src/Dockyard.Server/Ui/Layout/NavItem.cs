namespace Dockyard.Server.Ui.Layout;

/// <summary>
/// A main-navigation entry. <paramref name="Exact"/> means only that path marks it current, not paths below it;
/// entries with a <paramref name="Group"/> (e.g. "Cluster") are shown together under that label.
/// </summary>
internal sealed record NavItem(string Label, string Href, bool Exact, string? Group = null);
