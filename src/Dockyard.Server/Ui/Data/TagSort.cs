namespace Dockyard.Server.Ui.Data;

/// <summary>Columns the tags table sorts by.</summary>
internal enum TagSort
{
    /// <summary>By name, versions in version order (<see cref="TagVersionComparer"/>).</summary>
    Name,
    Pushed,
    Pulled,

    /// <summary>By pull count (<see cref="PullCounter"/>).</summary>
    Pulls,
}
