namespace Dockyard.Server.Access;

/// <summary>The repository rules evaluated on one repository row (see <see cref="RepositoryAccessRules.EvaluateAsync"/>).</summary>
internal sealed class RepositoryAccessRow
{
    public bool Pull { get; set; }

    public bool Read { get; set; }

    public bool Write { get; set; }

    public bool Admin { get; set; }

    public Data.Entities.RepositoryRole Role =>
        Admin ? Data.Entities.RepositoryRole.Admin
        : Write ? Data.Entities.RepositoryRole.Write
        : Read ? Data.Entities.RepositoryRole.Read
        : Data.Entities.RepositoryRole.None;
}
