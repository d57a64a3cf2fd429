namespace Dockyard.Server.Ui.Admin;

/// <summary>The fields of the "New repository" form (<c>/repositories/-/new</c>); <c>RepositoryService</c> validates them.</summary>
public sealed class NewRepositoryForm
{
    /// <summary>The organization (or other namespace) the repository goes in.</summary>
    public string? Namespace { get; set; }

    /// <summary>The name below the namespace (may itself contain slashes).</summary>
    public string? Name { get; set; }

    public string? Visibility { get; set; }

    public string? Description { get; set; }
}
