using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A user as the API and the UI show it: everything but the password hash and the directory's external id.</summary>
internal sealed record UserView(
    long Id,
    string Username,
    string? Email,
    string? DisplayName,
    AccountSource Source,
    bool IsAdmin,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt)
{
    public static UserView From(UserEntity user) =>
        new(user.Id, user.Username, user.Email, user.DisplayName, user.Source, user.IsAdmin, user.IsActive, user.CreatedAt, user.LastLoginAt);
}
