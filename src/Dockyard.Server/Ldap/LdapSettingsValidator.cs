namespace Dockyard.Server.Ldap;

/// <summary>
/// Checks LDAP settings before they are stored (the API's PUT and the web UI's form): field name (camelCase, as in
/// the API) → messages. Empty means valid.
/// </summary>
internal static class LdapSettingsValidator
{
    public static Dictionary<string, string[]> Validate(LdapSettings settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(settings.Url) || settings.Enabled)
        {
            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ldap" or "ldaps"))
            {
                errors["url"] = ["Must be an ldap:// or ldaps:// URL."];
            }
            else if (settings.StartTls && uri.Scheme == "ldaps")
            {
                errors["startTls"] = ["StartTLS is for ldap:// URLs; ldaps:// is already encrypted."];
            }
        }

        if (settings.Enabled)
        {
            if (string.IsNullOrWhiteSpace(settings.UserSearchBase))
            {
                errors["userSearchBase"] = ["Required when LDAP is enabled."];
            }

            if (string.IsNullOrWhiteSpace(settings.UsernameAttribute))
            {
                errors["usernameAttribute"] = ["Required when LDAP is enabled."];
            }
        }

        if (!settings.UserFilter.Contains("{0}", StringComparison.Ordinal))
        {
            errors["userFilter"] = ["Must contain {0}, the place of the (escaped) login name."];
        }

        if (settings.SyncInterval < TimeSpan.Zero)
        {
            errors["syncInterval"] = ["Must be zero (no schedule) or positive."];
        }

        if (settings.Timeout <= TimeSpan.Zero)
        {
            errors["timeout"] = ["Must be positive."];
        }

        if (settings.GroupMappings.Any(m => string.IsNullOrWhiteSpace(m.GroupDn) || string.IsNullOrWhiteSpace(m.Organization) || string.IsNullOrWhiteSpace(m.Team)))
        {
            errors["groupMappings"] = ["Every mapping needs groupDn, organization and team."];
        }

        return errors;
    }
}
