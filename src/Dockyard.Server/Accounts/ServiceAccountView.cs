using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A service account as the API and the UI show it.</summary>
internal sealed record ServiceAccountView(long Id, string Name, string? Description, bool IsActive, DateTimeOffset CreatedAt)
{
    public static ServiceAccountView From(ServiceAccountEntity account) => new(account.Id, account.Name, account.Description, account.IsActive, account.CreatedAt);
}
