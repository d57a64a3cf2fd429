using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Accounts;

/// <summary>The wire names of roles and token actions (<c>none</c>/<c>read</c>/<c>write</c>/<c>admin</c>; <c>pull</c>/<c>push</c>/<c>delete</c>).</summary>
internal static class RoleNames
{
    public static string Of(RepositoryRole role) => role.ToString().ToLowerInvariant();

    public static RepositoryRole Parse(string field, string? value, bool allowNone) => value switch
    {
        "none" when allowNone => RepositoryRole.None,
        "read" => RepositoryRole.Read,
        "write" => RepositoryRole.Write,
        "admin" => RepositoryRole.Admin,
        _ => throw DomainException.Invalid(field, allowNone ? "Must be one of none, read, write, admin." : "Must be one of read, write, admin."),
    };

}
