namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// The fields of the administration forms (each form posts the few it shows; the rest stay null). One shape keeps
/// the pages' form binding uniform; the services validate every value.
/// </summary>
public sealed class AdminForm
{
    /// <summary>Repository roles as the forms offer them, lowest first.</summary>
    internal static readonly string[] Roles = ["none", "read", "write", "admin"];

    public string? Name { get; set; }

    public string? Username { get; set; }

    public string? Description { get; set; }

    public string? Role { get; set; }

    public bool IsOwner { get; set; }

    public string? Subject { get; set; }

    public string? SubjectKind { get; set; }

    public long Id { get; set; }

    public string? Password { get; set; }

    /// <summary>The current password, proved when changing one's own.</summary>
    public string? CurrentPassword { get; set; }

    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    public bool IsAdmin { get; set; }

    public bool IsActive { get; set; }

    public string? Repository { get; set; }

    public bool Pull { get; set; }

    public bool Push { get; set; }

    public bool Delete { get; set; }

    /// <summary>The <c>tag</c> webhook event group (push, delete and pull reuse the fields above).</summary>
    public bool Tag { get; set; }

    public int? ExpiresInDays { get; set; }

    public string? Url { get; set; }

    public string[]? Events { get; set; }

    public bool Enabled { get; set; }

    public string? Secret { get; set; }

    public string? Visibility { get; set; }

    public string? Confirm { get; set; }
}
