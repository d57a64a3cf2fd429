namespace Dockyard.Server.Tokens;

/// <summary>One registered OAuth2 error (<see cref="OAuthErrors"/>): the <c>error</c> value and its HTTP status.</summary>
internal sealed record OAuthErrorCode(string Code, int Status);
