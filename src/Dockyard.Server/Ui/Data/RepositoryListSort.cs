namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Orders of the repository list: the cheap ones (a column of <c>repositories</c>, or the newest tag through the
/// tags' primary key). Size is shown but not sortable: it would sum every repository's blobs for each page.
/// </summary>
internal enum RepositoryListSort
{
    /// <summary>By name, A to Z.</summary>
    Name,

    /// <summary>Most pulled first.</summary>
    Pulls,

    /// <summary>Most recently pushed (newest tag) first.</summary>
    Pushed,

    /// <summary>Most recently pulled first.</summary>
    Pulled,
}
