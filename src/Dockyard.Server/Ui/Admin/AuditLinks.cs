namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// Where the objects an audit entry names are shown in the UI: a repository, an image (tag or digest), an
/// organization, team, service account, webhook, signing keys, users, LDAP settings, a stack, node or container. Only
/// pages that exist are linked; an object since deleted links to its page's "not found". Null: no page shows it.
/// </summary>
internal static class AuditLinks
{
    /// <summary>The page of the management object named by an entry's resource (<c>orgs/acme/teams/devs/members/bob</c> → the team).</summary>
    public static string? Resource(string? resource)
    {
        if (string.IsNullOrEmpty(resource))
        {
            return null;
        }

        var parts = resource.Split('/');
        return parts switch
        {
            ["orgs", var org, "teams", var team, ..] => $"/orgs/{Segment(org)}/teams/{Segment(team)}",
            ["orgs", var org, "service-accounts", var account, ..] => $"/orgs/{Segment(org)}/service-accounts/{Segment(account)}",
            ["orgs", var org, "webhooks", var id, ..] when long.TryParse(id, out _) => $"/orgs/{Segment(org)}/webhooks/{id}",
            ["orgs", var org, "webhooks"] => $"/orgs/{Segment(org)}/webhooks",
            ["orgs", var org, "keys", ..] => $"/orgs/{Segment(org)}/keys",
            ["orgs", var org, ..] => $"/orgs/{Segment(org)}",
            ["repositories", .., "webhooks", var id] when long.TryParse(id, out var hook) => UiLinks.RepositoryWebhooks(string.Join('/', parts[1..^2]), hook),
            ["repositories", .., "webhooks"] => UiLinks.RepositoryWebhooks(string.Join('/', parts[1..^1])),
            ["users", ..] => "/users",
            ["ldap", ..] => "/settings/ldap",
            ["stacks", var stack, ..] => $"/stacks/{Segment(stack)}",
            ["nodes", var node, ..] => $"/nodes/{Segment(node)}",
            ["containers", var container, ..] => $"/containers/{Segment(container)}",
            _ => null,
        };
    }

    /// <summary>The audit log narrowed to one actor's entries.</summary>
    public static string Actor(string name) => "/audit?actor=" + Uri.EscapeDataString(name);

    /// <summary>An entry's detail page.</summary>
    public static string Entry(long id) => "/audit/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Segment(string value) => Uri.EscapeDataString(value);
}
