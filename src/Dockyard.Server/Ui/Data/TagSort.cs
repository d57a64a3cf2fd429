namespace Dockyard.Server.Ui.Data;

/// <summary>Columns the tags table sorts by.</summary>
internal enum TagSort
{
    Name,
    Pushed,
    Pulled,
}
