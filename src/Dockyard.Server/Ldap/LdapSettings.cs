namespace Dockyard.Server.Ldap;

/// <summary>
/// The LDAP / Active Directory connection, stored as JSON in the <c>settings</c> table under <see cref="SettingKey"/>
/// and edited by system administrators (<c>/api/v1/ldap/settings</c>). Seeded once from the configuration section
/// <see cref="Section"/> when the table has no row yet.
/// </summary>
internal sealed record LdapSettings
{
    public const string SettingKey = "ldap";
    public const string Section = "Dockyard:Ldap";

    public bool Enabled { get; init; }

    /// <summary><c>ldap://host[:389]</c> or <c>ldaps://host[:636]</c>.</summary>
    public string Url { get; init; } = string.Empty;

    /// <summary>Upgrade an <c>ldap://</c> connection with the StartTLS extended operation before binding.</summary>
    public bool StartTls { get; init; }

    /// <summary>
    /// A directory of PEM CA certificates (OpenSSL hashed names, as made by <c>openssl rehash</c>) trusted for
    /// ldaps/StartTLS in addition to the system store. Empty: the system store only.
    /// </summary>
    public string? TrustedCertificatesDirectory { get; init; }

    /// <summary>The search account: DN (or AD <c>user@domain</c>) bound before every search.</summary>
    public string BindDn { get; init; } = string.Empty;

    /// <summary>Secret: never logged and never returned by the API (which only says whether it is set).</summary>
    public string? BindPassword { get; init; }

    public string UserSearchBase { get; init; } = string.Empty;

    /// <summary>
    /// <c>{0}</c> is replaced by the login name escaped per RFC 4515, e.g. <c>(&amp;(objectClass=inetOrgPerson)(uid={0}))</c>
    /// or, for Active Directory, <c>(&amp;(objectClass=user)(sAMAccountName={0}))</c>.
    /// </summary>
    public string UserFilter { get; init; } = "(&(objectClass=inetOrgPerson)(uid={0}))";

    public string UsernameAttribute { get; init; } = "uid";

    public string EmailAttribute { get; init; } = "mail";

    public string DisplayNameAttribute { get; init; } = "displayName";

    /// <summary>
    /// An attribute of the user entry listing the DNs of its groups (Active Directory and the OpenLDAP memberof
    /// overlay: <c>memberOf</c>). When set, groups are read from it and no group search is made.
    /// </summary>
    public string? UserGroupsAttribute { get; init; }

    /// <summary>Where groups are searched when <see cref="UserGroupsAttribute"/> is empty.</summary>
    public string? GroupSearchBase { get; init; }

    /// <summary>Which entries are groups; combined with <c>(memberAttribute=userDN)</c>.</summary>
    public string GroupFilter { get; init; } = "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";

    /// <summary>The group attribute holding member DNs: <c>member</c> or <c>uniqueMember</c>.</summary>
    public string GroupMemberAttribute { get; init; } = "member";

    /// <summary>Group DN → team. Teams whose <c>LdapGroup</c> is set are mapped too.</summary>
    public IReadOnlyList<LdapGroupMapping> GroupMappings { get; init; } = [];

    /// <summary>How often the scheduled sync runs; zero turns the schedule off (login still syncs).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Time limit of each LDAP operation.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
