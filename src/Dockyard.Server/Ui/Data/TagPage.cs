namespace Dockyard.Server.Ui.Data;

/// <summary>One page of a repository's tags and how many match in all.</summary>
internal sealed record TagPage(IReadOnlyList<TagRow> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
