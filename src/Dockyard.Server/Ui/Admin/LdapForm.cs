using System.Globalization;
using Dockyard.Server.Ldap;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// The LDAP settings form. The bind password is write-only: the form never carries the stored one, an empty
/// field keeps it, and <see cref="ClearBindPassword"/> removes it. Group mappings are one per line:
/// <c>organization/team = group DN</c>.
/// </summary>
public sealed class LdapForm
{
    public string? Intent { get; set; }

    public bool Enabled { get; set; }

    public string? Url { get; set; }

    public bool StartTls { get; set; }

    public string? TrustedCertificatesDirectory { get; set; }

    public string? BindDn { get; set; }

    public string? BindPassword { get; set; }

    public bool ClearBindPassword { get; set; }

    public string? UserSearchBase { get; set; }

    public string? UserFilter { get; set; }

    public string? UsernameAttribute { get; set; }

    public string? EmailAttribute { get; set; }

    public string? DisplayNameAttribute { get; set; }

    public string? UserGroupsAttribute { get; set; }

    public string? GroupSearchBase { get; set; }

    public string? GroupFilter { get; set; }

    public string? GroupMemberAttribute { get; set; }

    public string? GroupMappings { get; set; }

    public int SyncIntervalMinutes { get; set; }

    public int TimeoutSeconds { get; set; }

    public string? TestUsername { get; set; }

    internal static LdapForm From(LdapSettings s) => new()
    {
        Enabled = s.Enabled,
        Url = s.Url,
        StartTls = s.StartTls,
        TrustedCertificatesDirectory = s.TrustedCertificatesDirectory,
        BindDn = s.BindDn,
        UserSearchBase = s.UserSearchBase,
        UserFilter = s.UserFilter,
        UsernameAttribute = s.UsernameAttribute,
        EmailAttribute = s.EmailAttribute,
        DisplayNameAttribute = s.DisplayNameAttribute,
        UserGroupsAttribute = s.UserGroupsAttribute,
        GroupSearchBase = s.GroupSearchBase,
        GroupFilter = s.GroupFilter,
        GroupMemberAttribute = s.GroupMemberAttribute,
        GroupMappings = string.Join('\n', s.GroupMappings.Select(m => $"{m.Organization}/{m.Team} = {m.GroupDn}")),
        SyncIntervalMinutes = (int)s.SyncInterval.TotalMinutes,
        TimeoutSeconds = (int)s.Timeout.TotalSeconds,
    };

    /// <summary>A copy to render: the same fields without the bind password (the bound form keeps it for its handler).</summary>
    internal LdapForm WithoutBindPassword()
    {
        var copy = (LdapForm)MemberwiseClone();
        copy.BindPassword = null;
        return copy;
    }

    /// <summary>The settings this form describes; the bind password is the typed one, else the stored one (unless cleared).</summary>
    internal (LdapSettings? Settings, string? Error) ToSettings(string? storedPassword)
    {
        var mappings = new List<LdapGroupMapping>();
        foreach (var line in (GroupMappings ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var slash = equals < 0 ? -1 : line.IndexOf('/', StringComparison.Ordinal);
            if (equals < 0 || slash < 0 || slash > equals)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"groupMappings: '{line}' is not 'organization/team = group DN'."));
            }

            mappings.Add(new LdapGroupMapping(line[(equals + 1)..].Trim(), line[..slash].Trim(), line[(slash + 1)..equals].Trim()));
        }

        var defaults = new LdapSettings();
        return (new LdapSettings
        {
            Enabled = Enabled,
            Url = Url?.Trim() ?? string.Empty,
            StartTls = StartTls,
            TrustedCertificatesDirectory = Blank(TrustedCertificatesDirectory),
            BindDn = BindDn?.Trim() ?? string.Empty,
            BindPassword = !string.IsNullOrEmpty(BindPassword) ? BindPassword : ClearBindPassword ? null : storedPassword,
            UserSearchBase = UserSearchBase?.Trim() ?? string.Empty,
            UserFilter = Blank(UserFilter) ?? defaults.UserFilter,
            UsernameAttribute = Blank(UsernameAttribute) ?? defaults.UsernameAttribute,
            EmailAttribute = Blank(EmailAttribute) ?? defaults.EmailAttribute,
            DisplayNameAttribute = Blank(DisplayNameAttribute) ?? defaults.DisplayNameAttribute,
            UserGroupsAttribute = Blank(UserGroupsAttribute),
            GroupSearchBase = Blank(GroupSearchBase),
            GroupFilter = Blank(GroupFilter) ?? defaults.GroupFilter,
            GroupMemberAttribute = Blank(GroupMemberAttribute) ?? defaults.GroupMemberAttribute,
            GroupMappings = mappings,
            SyncInterval = TimeSpan.FromMinutes(SyncIntervalMinutes),
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
        }, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
