namespace Dockyard.Server.Api;

/// <summary>A token just created: the only response that ever carries its secret.</summary>
internal sealed record NewAccessTokenResponse(string Secret, AccessTokenResponse Token);
