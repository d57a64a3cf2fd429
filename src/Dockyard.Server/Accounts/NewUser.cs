namespace Dockyard.Server.Accounts;

/// <summary>A local user to create.</summary>
internal sealed record NewUser(string Username, string Password, string? Email = null, string? DisplayName = null, bool IsAdmin = false);
