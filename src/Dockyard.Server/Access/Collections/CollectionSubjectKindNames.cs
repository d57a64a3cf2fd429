namespace Dockyard.Server.Access.Collections;

/// <summary>The stored and wire names of <see cref="CollectionSubjectKind"/>: <c>user</c>, <c>team</c>, <c>organization</c>, <c>service-account</c>.</summary>
internal static class CollectionSubjectKindNames
{
    public const string User = "user";
    public const string Team = "team";
    public const string Organization = "organization";
    public const string ServiceAccount = "service-account";

    public static IReadOnlyList<string> All { get; } = [User, Team, Organization, ServiceAccount];

    public static string NameOf(CollectionSubjectKind kind) => kind switch
    {
        CollectionSubjectKind.User => User,
        CollectionSubjectKind.Team => Team,
        CollectionSubjectKind.Organization => Organization,
        CollectionSubjectKind.ServiceAccount => ServiceAccount,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out CollectionSubjectKind kind)
    {
        switch (name)
        {
            case User:
                kind = CollectionSubjectKind.User;
                return true;
            case Team:
                kind = CollectionSubjectKind.Team;
                return true;
            case Organization:
                kind = CollectionSubjectKind.Organization;
                return true;
            case ServiceAccount:
                kind = CollectionSubjectKind.ServiceAccount;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
