namespace Dockyard.Server.Ui.Data;

/// <summary>One page of the repository list, the total matching, and the namespaces the caller can filter by.</summary>
internal sealed record RepositoryListPage(IReadOnlyList<RepositorySummary> Items, int Page, int PageSize, int Total, IReadOnlyList<string> Namespaces)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
