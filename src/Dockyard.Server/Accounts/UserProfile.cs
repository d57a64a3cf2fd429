namespace Dockyard.Server.Accounts;

/// <summary>
/// What the signed-in user's profile page shows about them: their account, the organizations and teams they belong
/// to. Sessions and tokens have their own pages (<c>/me/sessions</c>, <c>/me/tokens</c>).
/// </summary>
internal sealed record UserProfile(
    UserView User,
    IReadOnlyList<UserProfile.Membership> Organizations,
    IReadOnlyList<UserProfile.TeamMembership> Teams)
{
    /// <summary>An organization the user is a member (or owner) of.</summary>
    internal sealed record Membership(string Organization, bool IsOwner);

    /// <summary>A team the user is in; <paramref name="FromLdap"/> when LDAP sync manages the membership.</summary>
    internal sealed record TeamMembership(string Organization, string Team, bool FromLdap);
}
